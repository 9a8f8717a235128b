package io.stowage.driver.ebs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IMDSv2 test double on loopback: {@code PUT /latest/api/token} with the TTL header hands out
 * a session token; every {@code GET} without a valid token is refused with 401, as IMDSv2 does
 * when IMDSv1 is off. It serves the instance ID, placement, block device mapping and the
 * instance identity document, and counts requests.
 */
final class ImdsDouble implements AutoCloseable {
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";

  private final HttpServer server;
  private final Map<String, Long> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> paths = new LinkedHashMap<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  /**
   * Starts the double.
   *
   * @param instanceId the instance ID
   * @param region the region
   * @param zone the availability zone
   * @param blockDevices block device mapping keys to device names ({@code root -> /dev/xvda})
   */
  ImdsDouble(String instanceId, String region, String zone, Map<String, String> blockDevices)
      throws IOException {
    paths.put("/latest/meta-data/instance-id", instanceId);
    paths.put("/latest/meta-data/placement/availability-zone", zone);
    paths.put("/latest/meta-data/placement/region", region);
    paths.put("/latest/meta-data/block-device-mapping/", String.join("\n",
        blockDevices.keySet()));
    blockDevices.forEach((k, v) -> paths.put("/latest/meta-data/block-device-mapping/" + k, v));
    paths.put("/latest/dynamic/instance-identity/document", "{\n"
        + "  \"accountId\" : \"123456789012\",\n"
        + "  \"architecture\" : \"x86_64\",\n"
        + "  \"availabilityZone\" : \"" + zone + "\",\n"
        + "  \"imageId\" : \"ami-0abcdef1234567890\",\n"
        + "  \"instanceId\" : \"" + instanceId + "\",\n"
        + "  \"instanceType\" : \"m5.large\",\n"
        + "  \"pendingTime\" : \"2026-11-01T00:00:00Z\",\n"
        + "  \"region\" : \"" + region + "\",\n"
        + "  \"version\" : \"2017-09-30\"\n"
        + "}");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int tokenRequests() {
    return tokenRequests.get();
  }

  int gets() {
    return gets.get();
  }

  int refused() {
    return refused.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (method.equals("PUT") && path.equals("/latest/api/token")) {
        tokenRequests.incrementAndGet();
        String ttl = exchange.getRequestHeaders().getFirst(TTL_HEADER);
        int seconds;
        try {
          seconds = ttl == null ? -1 : Integer.parseInt(ttl);
        } catch (NumberFormatException e) {
          seconds = -1;
        }
        if (seconds < 1 || seconds > 21600) {
          send(exchange, 400, "");
          return;
        }
        String token = UUID.randomUUID().toString();
        tokens.put(token, System.nanoTime() + seconds * 1_000_000_000L);
        exchange.getResponseHeaders().set(TTL_HEADER, Integer.toString(seconds));
        send(exchange, 200, token);
        return;
      }
      if (!method.equals("GET")) {
        send(exchange, 405, "");
        return;
      }
      gets.incrementAndGet();
      String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
      Long expiry = token == null ? null : tokens.get(token);
      if (expiry == null || System.nanoTime() - expiry >= 0) {
        refused.incrementAndGet();
        send(exchange, 401, "");
        return;
      }
      String body = paths.get(path);
      if (body == null) {
        send(exchange, 404, "");
        return;
      }
      send(exchange, 200, body);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
