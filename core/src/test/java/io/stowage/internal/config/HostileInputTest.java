package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration that is hostile or broken: files that are not files, documents that expand or
 * nest without end, directories that would lose the state, environment values that were not
 * text, unused driver sections, and secrets reached sideways. Each is refused with a clear
 * {@link ConfigurationException}, in bounded time, secrets masked.
 */
class HostileInputTest {
  /** How long refusing any of these may take; far more than it does, far less than a hang. */
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  /** Settings shaped like the EBS driver's, with a required region. */
  record Ebs(String region, Optional<String> accessKey, @Secret Optional<String> secretKey,
      Optional<String> endpoint) {}

  /** Settings shaped like the fake driver's. */
  record Fake(Optional<Path> root) {}

  private static final List<DriverSchema> INSTALLED = List.of(
      new DriverSchema("ebs", List.of("ec2", "aws"), Ebs.class),
      new DriverSchema("fake", List.of(), Fake.class));

  private static ConfigurationException refused(ConfigLoader.Builder builder) {
    return assertTimeoutPreemptively(BOUND,
        () -> assertThrows(ConfigurationException.class, builder::load));
  }

  private static ConfigurationException refusedFile(Path file) {
    return refused(ConfigLoader.builder().file(file));
  }

  private static ConfigurationException refusedYaml(String text) {
    return refused(ConfigLoader.builder().yaml("t.yml", text));
  }

  private static String only(ConfigurationException e) {
    assertEquals(1, e.problems().size(), e.getMessage());
    String problem = e.problems().get(0);
    assertFalse(problem.contains("Exception") || problem.contains("java."), problem);
    return problem;
  }

  private Path write(String text) throws IOException {
    Path path = Files.createTempFile(dir, "config", ".yml");
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path;
  }

  // ---- driver sections ----

  @Test
  void sectionsOfInstalledDriversThatAreNotInUseAreChecked() {
    ConfigurationException e = refused(ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "stowage: {storageDrivers: [fake]}\nebs: {bogus: 1, secretKey: [a]}\n"));
    assertEquals(List.of(
        "t.yml:2: unknown setting ebs.bogus; known settings: region, accessKey, secretKey,"
            + " endpoint",
        "t.yml:2: ebs.secretKey **** must be a single value, not a list"), e.problems());
  }

  @Test
  void aRequiredKeyMayBeMissingFromTheSectionOfADriverNotInUse() {
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "stowage: {storageDrivers: [fake]}\naws: {accessKey: AKIA}\n").load();
    assertEquals(List.of(), config.warnings());
    ConfigurationException inUse = refused(ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "stowage: {storageDrivers: [ec2]}\naws: {accessKey: AKIA}\n"));
    assertEquals("ebs.region is required (a single value) and is not set", only(inUse));
  }

  @Test
  void aSectionOfADriverThatIsNotInstalledIsAWarningNamingIt() {
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "virtualbox: {bogus: 1}\n").load();
    assertEquals(List.of("the section virtualbox configures the storage driver virtualbox,"
        + " which is not installed; ignored (install the driver, or remove the section)"),
        config.warnings());
  }

  // ---- messages ----

  @Test
  void valueProblemsSayWhatTheValueMustBe() {
    ConfigurationException e = refusedYaml("""
        docker: {fsType: ntfs, size: lots, iops: 0, volumeType: "a b"}
        stowage: {device: {attachTimeout: 0s}, volume: {mount: {preempt: perhaps}}}
        """);
    assertEquals(List.of(
        "t.yml:2: stowage.volume.mount.preempt \"perhaps\" must be true or false (also yes/no,"
            + " on/off, 1/0)",
        "t.yml:1: docker.size \"lots\" must be a size from 1 MiB to 64 TiB: a whole number of"
            + " GiB, or a number with a unit, such as 16, 512MiB or 2TiB",
        "t.yml:1: docker.fsType \"ntfs\" must be one of the file system types ext4, xfs, ext3,"
            + " btrfs",
        "t.yml:1: docker.volumeType \"a b\" must be 1 to 64 letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit",
        "t.yml:1: docker.iops \"0\" must be a whole number of IOPS from 1 to 256000",
        "t.yml:2: stowage.device.attachTimeout \"0s\" must be a duration longer than zero, such"
            + " as 30s, 2m, 500ms or PT30S"), e.problems());
  }

}
