package io.stowage.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.StowageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The built site: no broken internal link, and the anchors other programs link to. */
class SiteLinksIT {
  static final Path SITE = Path.of(System.getProperty("stowage.site", "target/site"));

  @Test
  void noInternalLinkIsBroken() throws IOException {
    assertTrue(Files.isRegularFile(SITE.resolve("index.html")), "the site is built: " + SITE);
    List<String> problems = LinkChecker.check(SITE);
    assertEquals(List.of(), problems, "broken links:\n" + String.join("\n", problems));
  }

  @Test
  void operationsHasOneAnchorPerExceptionType() throws Exception {
    String operations = Files.readString(SITE.resolve("operations.html"));
    List<String> types = exceptionTypes();
    assertTrue(types.size() >= 13, "exception types: " + types);
    for (String type : types) {
      String anchor = StowageException.troubleshootingAnchor(Class.forName(
          StowageException.class.getPackageName() + "." + type)
          .asSubclass(StowageException.class));
      assertTrue(operations.contains("id=\"" + anchor + "\""),
          "operations.html has no anchor #" + anchor + " for " + type);
    }
  }

  @Test
  void operationsHasOneAnchorPerExitCode() throws IOException {
    String operations = Files.readString(SITE.resolve("operations.html"));
    for (int code = 1; code <= 9; code++) {
      assertTrue(operations.contains("id=\"exit-" + code + "\""), "anchor #exit-" + code);
    }
  }

  /** The simple names of the public exception types, read from core's compiled classes. */
  private static List<String> exceptionTypes() throws Exception {
    URI location = StowageException.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI();
    Path root = Path.of(location);
    if (Files.isDirectory(root)) {
      return names(root.resolve("io/stowage/exception"));
    }
    try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
      return names(jar.getPath("io/stowage/exception"));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith("Exception.class") && !n.contains("$"))
          .map(n -> n.substring(0, n.length() - ".class".length())).sorted().toList();
    }
  }
}
