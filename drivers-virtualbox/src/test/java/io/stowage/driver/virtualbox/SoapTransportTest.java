package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.OperationTimeoutException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client makes of endpoints that are not a healthy vboxwebsrv. */
class SoapTransportTest {
  @TempDir
  Path temp;

  @Test
  void aClosedPortFailsAtOnceNamingTheEndpoint() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/");

    BackendException e = assertThrows(BackendException.class, () -> logon(uri));

    assertTrue(e.getMessage().contains("cannot connect to vboxwebsrv at http://127.0.0.1:"
        + port + "/"), e.getMessage());
    assertTrue(e.retryable());
  }

  @Test
  void aHostNameThatDoesNotResolveIsSaidSo() {
    // .invalid never resolves (RFC 2606)
    URI uri = URI.create("http://stowage-test.invalid:18083/");

    BackendException e = assertThrows(BackendException.class, () -> logon(uri));

    assertTrue(e.getMessage().startsWith("cannot resolve the host name stowage-test.invalid of"
        + " vboxwebsrv at " + uri), e.getMessage());
    assertTrue(e.getMessage().contains("virtualbox.endpoint"), e.getMessage());
  }

  @Test
  void anEndpointThatDoesNotAnswerTimesOutWithinTheBoundNamingIt() throws IOException {
    // the kernel completes the handshake, nobody ever reads the request
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
      long started = System.nanoTime();

      OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () ->
          new VboxWebClient(new SoapTransport(VirtualBoxEndpoint.of(uri, "u", "p", false)
              .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(700))))
              .logon("u", "p"));

      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(waited < 5_000, "bounded wait, took " + waited + " ms");
      assertTrue(e.getMessage().contains("vboxwebsrv at " + uri), e.getMessage());
      assertEquals(Duration.ofMillis(700), e.waited());
    }
  }

  @Test
  void anEndpointThatIsNotVboxwebsrvIsReportedAsSuch() throws IOException {
    HttpServer html = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    html.createContext("/", exchange -> {
      byte[] page = "<html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    html.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + html.getAddress().getPort() + "/");

      BackendException e = assertThrows(BackendException.class, () -> logon(uri));

      assertTrue(e.getMessage().startsWith(uri + " is not a VirtualBox web service"),
          e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 200, content type text/html"), e.getMessage());
      assertTrue(e.getMessage().contains("virtualbox.endpoint"), e.getMessage());
      assertFalse(e.retryable());
    } finally {
      html.stop(0);
    }
  }

  @Test
  void xmlThatIsNotASoapAnswerIsReportedAsSuch() throws IOException {
    HttpServer other = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", exchange -> {
      byte[] page = "<?xml version=\"1.0\"?><feed/>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    other.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + other.getAddress().getPort() + "/");

      BackendException e = assertThrows(BackendException.class, () -> logon(uri));

      assertTrue(e.getMessage().contains("<feed>, not a SOAP envelope"), e.getMessage());
    } finally {
      other.stop(0);
    }
  }

  @Test
  void httpsWithATrustedCertificateWorksAndAnUntrustedOneIsRefused() throws Exception {
    char[] storePassword = "changeit".toCharArray();
    Path keystore = temp.resolve("vboxwebsrv.p12");
    Process keytool = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "vboxwebsrv", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", new String(storePassword))).redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
    KeyStore store = KeyStore.getInstance(keystore.toFile(), storePassword);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, storePassword);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(keys.getKeyManagers(), null, null);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext trusting = SSLContext.getInstance("TLS");
    trusting.init(null, trust.getTrustManagers(), null);

    try (VboxWebServiceDouble vbox =
        VboxWebServiceDouble.startTls(VboxWebServiceDouble.V7_1, server)) {
      vbox.requireCredentials("u", "p");
      VirtualBoxEndpoint endpoint = VirtualBoxEndpoint.of(vbox.uri(), "u", "p", true)
          .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));

      ObjectRef vboxRef = new VboxWebClient(new SoapTransport(endpoint.withSslContext(trusting)))
          .logon("u", "p");
      assertEquals(33, vboxRef.value().length());

      BackendException e = assertThrows(BackendException.class,
          () -> new VboxWebClient(new SoapTransport(endpoint)).logon("u", "p"));
      assertTrue(e.getMessage().contains("TLS with vboxwebsrv at " + vbox.uri() + " failed"),
          e.getMessage());
      assertEquals(List.of(), vbox.schemaViolations());
    }
  }

  @Test
  void endpointSettingsAreCheckedAllAtOnceAndThePasswordIsMasked() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> new VirtualBoxEndpoint(URI.create("http://me:pw@10.0.2.2:18083"), "u", "p", true,
            Duration.ZERO, Duration.ofSeconds(1), java.util.Optional.empty()));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertFalse(e.getMessage().contains("pw@"), e.getMessage());

    VirtualBoxEndpoint endpoint =
        VirtualBoxEndpoint.of(VirtualBoxEndpoint.DEFAULT_URI, "u", "hunter2", false);
    assertFalse(endpoint.toString().contains("hunter2"), endpoint.toString());
    assertThrows(ConfigurationException.class, () -> VirtualBoxEndpoint.of(
        URI.create("ftp://10.0.2.2/"), "u", "p", false));
  }

  private static void logon(URI uri) {
    new VboxWebClient(new SoapTransport(VirtualBoxEndpoint.of(uri, "u", "p", false)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))).logon("u", "p");
  }
}
