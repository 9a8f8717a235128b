package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.driver.ebs.modules.ModulePathMain;
import io.stowage.spi.CommandResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver as a named module: {@code module-info.java} requires what the driver uses at run
 * time, so a JVM with the driver, the core and the AWS SDK on its module path finds the
 * provider, binds its settings and calls EC2.
 */
class ModulePathTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  @Test
  void theDriverWorksOnTheModulePath() {
    Path classes = Path.of("target/classes").toAbsolutePath();
    Path testClasses = Path.of("target/test-classes").toAbsolutePath();
    assertTrue(Files.exists(classes.resolve("module-info.class")));
    List<String> modulePath = new ArrayList<>(List.of(classes.toString()));
    // The test class path, as surefire sets it: the core, the SDK, SLF4J; no test jars.
    Arrays.stream(System.getProperty("surefire.test.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar") || entry.contains("core/target/classes"))
        .filter(entry -> !entry.matches(".*/(junit|opentest4j|apiguardian|stowage-drivers-tck)"
            + "[^/]*\\.jar|.*/org/junit/.*"))
        .forEach(modulePath::add);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    CommandResult result = Hosts.commands().run(List.of(java,
        "--module-path", String.join(File.pathSeparator, modulePath),
        "--add-modules", "ALL-MODULE-PATH",
        "-cp", testClasses.toString(),
        ModulePathMain.class.getName(), fixture.ec2.endpoint().toString(),
        EbsFixture.ACCESS_KEY, EbsFixture.SECRET_KEY, work.resolve("state").toString()),
        Duration.ofSeconds(60));
    assertTrue(result.stdout().contains("module io.stowage.driver.ebs, 0 volume(s)"),
        result.stdout() + result.stderr());
    assertEquals(Map.of("DescribeVolumes", 1), fixture.ec2.counts());
  }
}
