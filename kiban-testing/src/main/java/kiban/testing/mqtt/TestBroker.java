package kiban.testing.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Properties;

/** A real MQTT broker (Moquette) in the test's JVM, on a free port, nothing on disk. */
public final class TestBroker implements AutoCloseable {

    private final int port;
    private Server server;

    private TestBroker(int port) {
        this.port = port;
    }

    public static TestBroker start() {
        return start(freePort());
    }

    public static TestBroker start(int port) {
        TestBroker b = new TestBroker(port);
        b.restart();
        return b;
    }

    /** Starts the broker (again) on the same port. */
    public void restart() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false"); // Moquette would otherwise report to its authors
        p.setProperty("netty.so_reuseaddr", "true");
        server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public String url(String prefix) {
        return "mqtt://127.0.0.1:" + port + "/" + prefix;
    }

    public String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
