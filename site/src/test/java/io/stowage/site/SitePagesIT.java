package io.stowage.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens every page of the built site in headless Chromium, served over HTTP on the loopback,
 * and fails on a JavaScript error, a console error, or an asset that does not load. Needs
 * Debian's {@code chromium}; under {@code CI=true} a missing browser fails the test.
 */
class SitePagesIT {
  private static Chromium chromium;
  private static PageInspector inspector;

  @BeforeAll
  static void startBrowser() throws IOException, InterruptedException {
    Path binary = Chromium.binary();
    boolean present = Files.isExecutable(binary);
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(present, "CI must have Chromium at " + binary + " (scripts/install-packages)");
    }
    assumeTrue(present, "needs Chromium at " + binary);
    chromium = Chromium.start(binary);
    inspector = new PageInspector(new DevTools(chromium.devTools()));
  }

  @AfterAll
  static void stopBrowser() throws IOException, InterruptedException {
    if (inspector != null) {
      inspector.close();
    }
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void reportsTheProblemsOfABrokenPage(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("broken.html"), "<!DOCTYPE html><html><head>"
        + "<script src=\"missing.js\"></script></head><body><img src=\"missing.png\">"
        + "<script>console.error('bad'); undefinedFunction();</script></body></html>");
    try (StaticServer server = new StaticServer(dir)) {
      String problems = String.join("\n", inspector.open(server.url("broken.html")));
      assertTrue(problems.contains("HTTP 404: " + server.url("missing.js")), problems);
      assertTrue(problems.contains("HTTP 404: " + server.url("missing.png")), problems);
      assertTrue(problems.contains("console error: ") && problems.contains("bad"), problems);
      assertTrue(problems.contains("JavaScript error: ReferenceError: undefinedFunction"),
          problems);
    }
  }

  @Test
  void everyPageLoadsWithoutAnError() throws Exception {
    Path site = SiteLinksIT.SITE;
    List<String> pages;
    try (Stream<Path> files = Files.walk(site)) {
      pages = files.filter(f -> f.toString().endsWith(".html"))
          .map(f -> site.relativize(f).toString().replace('\\', '/')).sorted().toList();
    }
    assertTrue(pages.size() >= 20, "pages: " + pages);
    List<String> problems = new ArrayList<>();
    try (StaticServer server = new StaticServer(site)) {
      for (String page : pages) {
        inspector.open(server.url(page)).forEach(p -> problems.add(page + ": " + p));
      }
    }
    assertEquals(List.of(), problems, String.join("\n", problems));
  }
}
