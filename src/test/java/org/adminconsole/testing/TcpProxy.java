package org.adminconsole.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 between the console and a database server, under the test's control, to inject the
 * network faults operators meet: a cut (every connection closed, new ones refused), a freeze (connections stay
 * open but no byte moves, like a stopped server or a dead network path) and a lost reply (the client's message
 * reaches the server, then the connection drops before the answer comes back). Traffic goes to loopback only.
 */
public final class TcpProxy implements AutoCloseable {

    public enum Mode { FORWARD, FREEZE, CUT }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicReference<byte[]> cutAfter = new AtomicReference<>();
    private final AtomicReference<byte[]> dropMessage = new AtomicReference<>();
    private final AtomicInteger cutsAfterMessage = new AtomicInteger();
    private volatile Mode mode = Mode.FORWARD;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int acceptedConnections() {
        return accepted.get();
    }

    /** How many connections were dropped by {@link #dropReplyAfterClientSends}. */
    public int lostReplies() {
        return cutsAfterMessage.get();
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    /** Stops moving bytes in both directions; connections stay open (and new ones are accepted but hang). */
    public void freeze() {
        mode = Mode.FREEZE;
    }

    /** Back to forwarding. */
    public void restore() {
        synchronized (gate) {
            mode = Mode.FORWARD;
            gate.notifyAll();
        }
    }

    /**
     * Once: after forwarding a client message containing {@code text} (e.g. "COMMIT") to the server, closes that
     * connection, so the server gets the message but the client never sees the reply.
     */
    public void dropReplyAfterClientSends(String text) {
        cutAfter.set(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Once: a client message containing {@code text} is not forwarded; the connection is closed instead, so the server
     * never gets it (the client cannot tell this from a lost reply).
     */
    public void dropClientMessage(String text) {
        dropMessage.set(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                if (mode == Mode.CUT) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean clientToServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitForwarding();
                    if (mode == Mode.CUT) {
                        break;
                    }
                    byte[] drop = dropMessage.get();
                    if (clientToServer && drop != null && contains(buf, n, drop) && dropMessage.compareAndSet(drop, null)) {
                        cutsAfterMessage.incrementAndGet();
                        break; // closes both sides below without forwarding
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    byte[] pattern = cutAfter.get();
                    if (clientToServer && pattern != null && contains(buf, n, pattern) && cutAfter.compareAndSet(pattern, null)) {
                        cutsAfterMessage.incrementAndGet();
                        // the server has the whole message; the client never gets the answer
                        closeQuietly(from);
                        Thread.sleep(50);
                        closeQuietly(to);
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed, or we did
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (mode == Mode.FREEZE && !closed) {
                gate.wait();
            }
        }
    }

    private static boolean contains(byte[] buf, int n, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= n; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (buf[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void closeAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        restore();
        closeAll();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
