package org.adminconsole.testing;

import org.h2.tools.Server;

/**
 * Run in a child JVM: an H2 TCP server for the files in {@code args[0]} (the console's trigger classes are on the
 * class path, as the README asks), on port {@code args[1]} (0: any), printing "PORT n" once listening; runs until
 * killed.
 */
public final class H2ServerProcess {
    public static void main(String[] args) throws Exception {
        Server server = Server.createTcpServer("-tcpPort", args.length > 1 ? args[1] : "0", "-baseDir", args[0], "-ifNotExists").start();
        System.out.println("PORT " + server.getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
