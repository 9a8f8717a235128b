package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program on the module path sees the API of the core and the fake driver and cannot compile
 * against the core's internals: the compiler enforces what their module-info.java exports.
 */
class ModulePathTest {
  @TempDir
  Path work;

  @Test
  void theApiCompilesOnTheModulePath() throws IOException {
    Result result = compile("""
        package probe;
        import io.stowage.Stowage;
        import io.stowage.driver.fake.SimulatedHost;
        import io.stowage.spi.StorageDriverProvider;
        public final class Probe {
          public static String rule() {
            return StorageDriverProvider.NAME_RULE + Stowage.class.getName()
                + SimulatedHost.class.getName();
          }
        }
        """);
    assertTrue(result.succeeded(), result.output());
  }

  @Test
  void theInternalsDoNotCompileOnTheModulePath() throws IOException {
    Result result = compile("""
        package probe;
        import io.stowage.internal.policy.PolicyVolumeService;
        public final class Probe {
          public static String name() {
            return PolicyVolumeService.class.getName();
          }
        }
        """);
    assertFalse(result.succeeded(), "compiled against an internal package");
    assertTrue(result.output().contains("io.stowage.internal.policy")
        && result.output().toLowerCase(Locale.ROOT).contains("not visible"), result.output());
  }

  /** What one compilation said. */
  private record Result(boolean succeeded, String output) {}

  private Result compile(String source) throws IOException {
    Path src = Files.createDirectories(work.resolve("src/probe"));
    Files.writeString(work.resolve("src/module-info.java"),
        "module probe { requires io.stowage.driver.fake; }\n");
    Files.writeString(src.resolve("Probe.java"), source);
    // The core and the fake driver, as built by the reactor or as jars, and what they need.
    List<String> modulePath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      boolean ours = entry.contains("/core/target/classes")
          || entry.contains("/drivers-fake/target/classes") || name.startsWith("stowage-core")
          || name.startsWith("stowage-driver-fake");
      if (ours || name.startsWith("slf4j-api") || name.startsWith("jackson-")
          || name.startsWith("snakeyaml") || name.startsWith("commons-exec")) {
        modulePath.add(entry);
      }
    }
    List<String> files;
    try (Stream<Path> walk = Files.walk(work.resolve("src"))) {
      files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString)
          .collect(Collectors.toList());
    }
    List<String> args = new ArrayList<>(List.of("-d", work.resolve("out").toString(),
        "--module-path", String.join(File.pathSeparator, modulePath)));
    args.addAll(files);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int code = javac.run(null, messages, messages, args.toArray(String[]::new));
    return new Result(code == 0, messages.toString(StandardCharsets.UTF_8));
  }
}
