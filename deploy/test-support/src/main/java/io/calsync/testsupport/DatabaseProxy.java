package io.calsync.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the service's R2DBC pool and the embedded PostgreSQL, which a test can
 * {@link #cut()}: the port then refuses connections and every open connection is closed, as when
 * the database goes away; {@link #restore()} listens again on the same port. Plain blocking sockets
 * on daemon threads of its own, never an event loop.
 */
public final class DatabaseProxy implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;

  public DatabaseProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = listen(0);
    this.port = server.getLocalPort();
    acceptOn(server);
  }

  public int port() {
    return port;
  }

  /** The database is unreachable: connections are refused and open ones closed. */
  public synchronized void cut() {
    closeQuietly(server);
    open.forEach(DatabaseProxy::closeQuietly);
    open.clear();
  }

  /** The database is reachable again on the same port. */
  public synchronized void restore() throws IOException {
    if (server.isClosed()) {
      server = listen(port);
      acceptOn(server);
    }
  }

  @Override
  public synchronized void close() {
    cut();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void acceptOn(ServerSocket listening) {
    daemon(
        () -> {
          while (!listening.isClosed()) {
            try {
              forward(listening.accept());
            } catch (IOException e) {
              // closed by cut()
            }
          }
        });
  }

  private void forward(Socket client) {
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      open.add(client);
      open.add(upstream);
      daemon(() -> pump(client, upstream));
      daemon(() -> pump(upstream, client));
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "database-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already closed
    }
  }
}
