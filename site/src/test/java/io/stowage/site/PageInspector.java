package io.stowage.site;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens pages in one browser tab and reports what went wrong while each loaded and settled: an
 * uncaught JavaScript error, a console error, a request that failed or was answered 4xx or 5xx,
 * and any request to a host other than the loopback.
 */
final class PageInspector implements AutoCloseable {
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
  /** How long the network must stay quiet after the load event. */
  private static final Duration QUIET = Duration.ofMillis(300);

  private final DevTools devTools;
  private final String session;

  PageInspector(DevTools devTools) throws IOException, InterruptedException {
    this.devTools = devTools;
    String target = devTools.send(null, "Target.createTarget", "url", "about:blank")
        .path("targetId").asText();
    session = devTools.send(null, "Target.attachToTarget", "targetId", target,
        "flatten", true).path("sessionId").asText();
    for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
      devTools.send(session, domain + ".enable");
    }
  }

  /** Opens a page and returns its problems, each as one line. */
  List<String> open(URI url) throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    Map<String, String> pending = new HashMap<>();
    drain();
    JsonNode navigation = devTools.send(session, "Page.navigate", "url", url.toString());
    if (navigation.hasNonNull("errorText")) {
      return List.of("navigation failed: " + navigation.get("errorText").asText());
    }
    Instant deadline = Instant.now().plus(LOAD_TIMEOUT);
    boolean loaded = false;
    Instant quietSince = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      JsonNode event = devTools.nextEvent(QUIET);
      if (event == null) {
        if (loaded && pending.isEmpty()
            && Duration.between(quietSince, Instant.now()).compareTo(QUIET) >= 0) {
          return problems;
        }
        continue;
      }
      if (!session.equals(event.path("sessionId").asText())) {
        continue;
      }
      quietSince = Instant.now();
      JsonNode p = event.path("params");
      switch (event.path("method").asText()) {
        case "Page.loadEventFired" -> loaded = true;
        case "Runtime.exceptionThrown" -> problems.add("JavaScript error: "
            + p.path("exceptionDetails").path("exception").path("description")
                .asText(p.path("exceptionDetails").path("text").asText()));
        case "Runtime.consoleAPICalled" -> {
          if (p.path("type").asText().equals("error")) {
            problems.add("console error: " + p.path("args").toString());
          }
        }
        case "Log.entryAdded" -> {
          JsonNode entry = p.path("entry");
          if (entry.path("level").asText().equals("error")) {
            problems.add("console error: " + entry.path("text").asText() + " "
                + entry.path("url").asText());
          }
        }
        case "Network.requestWillBeSent" -> {
          String requested = p.path("request").path("url").asText();
          pending.put(p.path("requestId").asText(), requested);
          if (!isLocal(requested)) {
            problems.add("request to another host: " + requested);
          }
        }
        case "Network.responseReceived" -> {
          int status = p.path("response").path("status").asInt();
          if (status >= 400) {
            problems.add("HTTP " + status + ": " + p.path("response").path("url").asText());
          }
        }
        case "Network.loadingFinished" -> pending.remove(p.path("requestId").asText());
        case "Network.loadingFailed" -> {
          String failed = pending.remove(p.path("requestId").asText());
          problems.add("failed to load " + failed + ": " + p.path("errorText").asText());
        }
        default -> { }
      }
    }
    problems.add("did not finish loading within " + LOAD_TIMEOUT + " (pending: "
        + pending.values() + ")");
    return problems;
  }

  private void drain() throws InterruptedException {
    while (devTools.nextEvent(Duration.ZERO) != null) {
      // events of the previous page
    }
  }

  private static boolean isLocal(String url) {
    if (url.startsWith("data:") || url.startsWith("about:") || url.startsWith("blob:")) {
      return true;
    }
    String host = URI.create(url).getHost();
    return "127.0.0.1".equals(host) || "localhost".equals(host);
  }

  @Override
  public void close() {
    devTools.close();
  }
}
