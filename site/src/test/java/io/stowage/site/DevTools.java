package io.stowage.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the Chrome DevTools protocol over the JDK's WebSocket client: commands with
 * their replies, and a queue of the events the browser sends. One connection to the browser;
 * a page is driven through the session {@code Target.attachToTarget} returns.
 */
final class DevTools implements AutoCloseable {
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final WebSocket socket;

  DevTools(URI endpoint) throws IOException, InterruptedException {
    try {
      socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .buildAsync(endpoint, new Listener()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to " + endpoint, e);
    }
  }

  /**
   * Sends a command and waits for its result.
   *
   * @param sessionId the page session, or null for the browser
   * @param method such as {@code Page.navigate}
   * @param params the parameters as name, value pairs
   */
  JsonNode send(String sessionId, String method, Object... params)
      throws IOException, InterruptedException {
    int id = ids.incrementAndGet();
    ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
    ObjectNode p = message.putObject("params");
    for (int i = 0; i < params.length; i += 2) {
      p.set((String) params[i], json.valueToTree(params[i + 1]));
    }
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    socket.sendText(json.writeValueAsString(message), true);
    try {
      JsonNode answer = reply.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new IOException(method + " failed: " + answer.get("error"));
      }
      return answer.path("result");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(method + " got no reply", e);
    } finally {
      replies.remove(id);
    }
  }

  /** Returns the next event, or null when none comes in time. */
  JsonNode nextEvent(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = json.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = replies.get(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          } else {
            events.add(message);
          }
        } catch (IOException e) {
          events.add(json.createObjectNode().put("method", "DevTools.unreadable")
              .put("text", text.toString()));
        }
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
