package io.stowage.site;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A headless Chromium (Debian's package) with a fresh profile, which answers the DevTools
 * protocol on a loopback port and reaches no network: no background services, no component
 * updates, and every host name but the loopback's resolves to nothing.
 */
final class Chromium implements AutoCloseable {
  /** Where Debian installs it; the system property {@code stowage.chromium} overrides. */
  static final Path DEFAULT = Path.of("/usr/bin/chromium");

  private final Path profile;
  private final Process process;
  private final URI devTools;

  private Chromium(Path binary) throws IOException, InterruptedException {
    profile = Files.createTempDirectory("stowage-site-chromium");
    process = new ProcessBuilder(List.of(binary.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank"))
        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile())
        .start();
    devTools = awaitEndpoint(Duration.ofSeconds(30));
  }

  /** Returns the browser to use: the property's, else Debian's. */
  static Path binary() {
    return Path.of(System.getProperty("stowage.chromium", DEFAULT.toString()));
  }

  /** Starts the browser and waits for its DevTools endpoint. */
  static Chromium start(Path binary) throws IOException, InterruptedException {
    return new Chromium(binary);
  }

  /** Returns the browser's DevTools WebSocket URL. */
  URI devTools() {
    return devTools;
  }

  /** Chromium writes its port and browser path to this file of the profile when it listens. */
  private URI awaitEndpoint(Duration timeout) throws IOException, InterruptedException {
    Path file = profile.resolve("DevToolsActivePort");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("chromium exited with " + process.exitValue() + ": "
            + Files.readString(profile.resolve("chromium.log")));
      }
      if (Files.isRegularFile(file)) {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() >= 2) {
          return URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
        }
      }
      Thread.sleep(50);
    }
    throw new IOException("chromium did not open its DevTools port within " + timeout);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      child.destroyForcibly();
      child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).join();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
