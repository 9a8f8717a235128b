package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.StowageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error the stowage command prints links to a section of the operations page that
 * exists: one per public exception type, one per exit code for the command's own failures.
 */
class TroubleshootingLinkTest {
  private static final Path OPERATIONS = Path.of("..").resolve(TroubleshootingLink.PAGE);

  @TempDir
  Path dir;

  @Test
  void everyExceptionTypeAndExitCodeTheCommandPrintsHasItsAnchor() throws Exception {
    String page = Files.readString(OPERATIONS);
    List<Class<? extends StowageException>> types = publicExceptionTypes();
    assertTrue(types.size() >= 13, "exception types found: " + types);
    for (Class<? extends StowageException> type : types) {
      assertTrue(page.contains("id=\"" + StowageException.troubleshootingAnchor(type) + "\""),
          OPERATIONS + " has no anchor for " + type.getSimpleName());
    }
    for (int code = ExitCodes.GENERAL; code <= ExitCodes.CHECK_FAILED; code++) {
      String anchor = TroubleshootingLink.anchor(new CliException(code, "x"));
      assertEquals("exit-" + code, anchor);
      assertTrue(page.contains("id=\"" + anchor + "\""), OPERATIONS + " has no #" + anchor);
    }
    // A subclass outside the exception package links to its public ancestor's section.
    BackendException driverOwn = new BackendException("x", false, null, null) {
      private static final long serialVersionUID = 1L;
    };
    assertEquals("backend-exception", TroubleshootingLink.anchor(driverOwn));
  }

  @Test
  void theCommandPrintsTheLinkUnderTheError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"--set=stowage.storageDrivers=fake",
        "--set=fake.root=" + dir.resolve("fake"), "--set=fake.devices=simulated",
        "--simulated-host=" + dir.resolve("host"),
        "--set=stowage.state.directory=" + dir.resolve("state"),
        "--set=stowage.volume.mount.root=" + dir.resolve("mnt"), "volume", "inspect", "nope"},
        new PrintWriter(out), new PrintWriter(err), Map.of());
    assertEquals(ExitCodes.NOT_FOUND, code);
    assertTrue(err.toString().endsWith(
        "stowage: see docs/operations.md#volume-not-found-exception\n"), err.toString());
  }

  /** The public exception types, read from core's compiled classes. */
  private static List<Class<? extends StowageException>> publicExceptionTypes()
      throws Exception {
    URI location = StowageException.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI();
    Path root = Path.of(location);
    if (Files.isDirectory(root)) {
      return types(root.resolve("io/stowage/exception"));
    }
    try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
      return types(jar.getPath("io/stowage/exception"));
    }
  }

  private static List<Class<? extends StowageException>> types(Path dir) throws Exception {
    List<Class<? extends StowageException>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (String name : files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith("Exception.class") && !n.contains("$")).sorted().toList()) {
        types.add(Class.forName(StowageException.class.getPackageName() + "."
            + name.substring(0, name.length() - ".class".length()))
            .asSubclass(StowageException.class));
      }
    }
    return types;
  }
}
