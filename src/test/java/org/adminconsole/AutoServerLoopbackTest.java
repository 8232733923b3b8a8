package org.adminconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2's AUTO_SERVER listens on 127.0.0.1 when the console starts it (the bind address is set before H2 reads it), and
 * on every interface without that: the check can tell the difference. Each case runs in a JVM of its own, because H2
 * reads the property once per JVM.
 */
class AutoServerLoopbackTest {

    @TempDir Path dir;

    @Test
    void autoServerListensOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = externalAddress();
        try (Probe probe = Probe.start(dir.resolve("loopback"), "--loopback")) {
            assertThat(probe.host).isIn("localhost", "127.0.0.1");
            assertThat(connects(InetAddress.getLoopbackAddress(), probe.port)).isTrue();
            if (external.isPresent()) {
                assertThat(connects(external.get(), probe.port)).as("reachable on %s", external.get()).isFalse();
            }
        }
        if (external.isPresent()) {
            try (Probe probe = Probe.start(dir.resolve("everywhere"), "--default")) {
                assertThat(connects(external.get(), probe.port)).as("H2's own default: every interface").isTrue();
            }
        }
    }

    @Test
    void aConfiguredBindAddressIsKept() {
        String before = System.getProperty(Launcher.H2_BIND_ADDRESS);
        try {
            System.setProperty(Launcher.H2_BIND_ADDRESS, "10.1.2.3");
            Launcher.bindH2ToLoopback();
            assertThat(System.getProperty(Launcher.H2_BIND_ADDRESS)).isEqualTo("10.1.2.3");
            System.clearProperty(Launcher.H2_BIND_ADDRESS);
            Launcher.bindH2ToLoopback();
            assertThat(System.getProperty(Launcher.H2_BIND_ADDRESS)).isEqualTo("127.0.0.1");
        } finally {
            if (before == null) {
                System.clearProperty(Launcher.H2_BIND_ADDRESS);
            } else {
                System.setProperty(Launcher.H2_BIND_ADDRESS, before);
            }
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An IPv4 address of this machine that is not loopback, if it has one. */
    private static Optional<InetAddress> externalAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static final class Probe implements AutoCloseable {
        final Process process;
        final String host;
        final int port;

        private Probe(Process process, String host, int port) {
            this.process = process;
            this.host = host;
            this.port = port;
        }

        static Probe start(Path db, String mode) throws Exception {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), LoopbackProbe.class.getName(), db.toString(), mode)
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("SERVER ")) {
                    String address = line.substring("SERVER ".length());
                    int colon = address.lastIndexOf(':');
                    return new Probe(p, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
                }
            }
            p.destroyForcibly();
            throw new AssertionError("the probe ended without a server address");
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
