package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/writing-a-driver.md shows the memory driver as it compiles: every code block marked
 * {@code <!-- source: path -->} appears verbatim in that file, every Java block is marked, and
 * the module declaration names the provider the service file registers.
 */
class WritingADriverDocTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern BLOCK = Pattern.compile(
      "(?:<!-- (source: (\\S+)|module-info) -->\\n)?```(\\w*)\\n(.*?)```", Pattern.DOTALL);
  private static final String SERVICES =
      "examples/src/main/resources/META-INF/services/io.stowage.spi.StorageDriverProvider";

  /** One fenced block of the page: the file it is marked as taken from, if any. */
  private record Block(String marker, String source, String language, String text) {}

  @Test
  void everyMarkedBlockAppearsVerbatimInItsSource() throws IOException {
    List<Block> sourced = blocks().stream().filter(b -> b.source() != null).toList();
    assertTrue(sourced.size() >= 10, "the walkthrough shows the driver: " + sourced.size());
    for (Block block : sourced) {
      String source = Files.readString(ROOT.resolve(block.source()));
      if (!source.contains(block.text())) {
        fail("docs/writing-a-driver.md shows a block that " + block.source()
            + " does not contain; copy it again from the source:\n" + block.text());
      }
    }
  }

  @Test
  void everyJavaBlockIsMarked() throws IOException {
    for (Block block : blocks()) {
      if (block.language().equals("java")) {
        assertTrue(block.marker() != null, "a Java block without a source marker:\n"
            + block.text());
      }
    }
  }

  @Test
  void theModuleDeclarationProvidesTheRegisteredProvider() throws IOException {
    Block module = blocks().stream().filter(b -> "module-info".equals(b.marker()))
        .findFirst().orElseThrow();
    Matcher provides = Pattern.compile(
        "provides io\\.stowage\\.spi\\.StorageDriverProvider\\s+with ([\\w.]+);")
        .matcher(module.text());
    assertTrue(provides.find(), module.text());
    assertEquals(Files.readString(ROOT.resolve(SERVICES)).strip(), provides.group(1));
  }

  private static List<Block> blocks() throws IOException {
    String page = Files.readString(ROOT.resolve("docs/writing-a-driver.md"));
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(page);
    while (m.find()) {
      String marker = m.group(1) == null ? null
          : m.group(1).startsWith("source") ? "source" : "module-info";
      blocks.add(new Block(marker, m.group(2), m.group(3), m.group(4)));
    }
    return blocks;
  }
}
