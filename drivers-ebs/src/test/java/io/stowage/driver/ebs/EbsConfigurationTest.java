package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.ACCESS_KEY;
import static io.stowage.driver.ebs.EbsFixture.INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.SECRET_KEY;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.config.StowageConfig.EffectiveSetting;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.StowageException;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EBS driver's configuration through {@code Stowage.builder()}: REX-Ray 0.3's {@code aws:}
 * and {@code ec2:} sections and environment variables, the namespace tag under both spellings,
 * and the secret key kept out of the effective settings, every message, every
 * {@code toString()} and the log.
 */
class EbsConfigurationTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  private LocalDisks disks;

  @Test
  void aRexRay03ConfigWithAnAwsSectionWorksUnchanged() throws IOException {
    String ours = fixture.ec2.volume("data", ZONE, Map.of(VolumeSpec.NAMESPACE_TAG, "team-a"));
    fixture.ec2.volume("data", ZONE, Map.of(VolumeSpec.NAMESPACE_TAG, "team-b"));
    Path file = work.resolve("config.yml");
    Files.writeString(file, String.join("\n",
        "libstorage:",
        "  service: ebs",
        "aws:",
        "  accessKey: " + ACCESS_KEY,
        "  secretKey: " + SECRET_KEY,
        "  region: eu-west-1",
        "  rexrayTag: team-a",
        "ec2:",
        "  region: us-east-1",
        "  endpoint: " + fixture.ec2.endpoint(),
        "  metadataEndpoint: " + fixture.imds.endpoint(),
        ""));
    try (Stowage stowage = bare().configFile(file).build()) {
      assertEquals(List.of(ours), stowage.volumes().list().stream().map(v -> v.id().value())
          .toList(), "the namespace tag filters the list");
      Volume created = stowage.volumes().create("fresh", VolumeOptions.NONE);
      assertEquals(Map.of("Name", "fresh", VolumeSpec.NAMESPACE_TAG, "team-a"),
          fixture.ec2.tags(created.id().value()).orElseThrow());
      assertEquals("us-east-1", setting(stowage, "ebs.region").value(),
          "ec2: wins over aws:");
      assertEquals(file + ":9", setting(stowage, "ebs.region").source());
    }
  }

  @Test
  void rexRayEnvironmentVariablesSetTheDeclaredKeysOnly() {
    Map<String, String> environment = Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_ACCESSKEY", ACCESS_KEY,
        "EC2_SECRETKEY", SECRET_KEY,
        "AWS_SECRET_ACCESS_KEY", "read-by-the-sdk-chain-only",
        "AWS_PROFILE", "not-a-driver-setting");
    try (Stowage stowage = bare().environment(environment)
        .setting("ebs.endpoint", fixture.ec2.endpoint())
        .setting("ebs.metadataEndpoint", fixture.imds.endpoint()).build()) {
      assertEquals(List.of(), stowage.volumes().list());
      assertEquals("env EC2_SECRETKEY", setting(stowage, "ebs.secretKey").source());
      assertEquals("****", setting(stowage, "ebs.secretKey").value());
      assertEquals("env AWS_REGION", setting(stowage, "ebs.region").source());
      assertTrue(stowage.config().settings().stream()
          .noneMatch(s -> s.key().toLowerCase().contains("profile")
              || s.key().toLowerCase().contains("secretaccess")),
          stowage.config().settings().toString());
    }
  }

  @Test
  void tagAndRexrayTagMayNotNameTwoNamespaces() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> fixture
        .stowage(work, disks()).setting("ebs.tag", "team-a").setting("aws.rexrayTag", "team-b")
        .build());
    assertTrue(e.getMessage().contains("tag \"team-a\" and rexrayTag \"team-b\" name two"
        + " namespaces"), e.getMessage());
    assertEquals(0, fixture.ec2.total());

    try (Stowage stowage = fixture.stowage(work, disks()).setting("ebs.tag", "team-a")
        .setting("aws.rexrayTag", "team-a").build()) {
      assertEquals(List.of(), stowage.volumes().list());
      assertTrue(fixture.ec2.calls().get(0).params().containsValue("tag:rexraySet"));
    }
  }

  @Test
  void theSecretKeyAppearsInNoSettingMessageStringOrLogLine() throws IOException {
    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<String> texts = new ArrayList<>();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      Path file = work.resolve("config.yml");
      Files.writeString(file, "ebs:\n  secretKey: " + SECRET_KEY + "\n  statusMaxAttempts: 5\n");
      try (Stowage stowage = reachingTheDoubles().configFile(file).build()) {
        for (EffectiveSetting s : stowage.config().settings()) {
          texts.add(s.toString());
        }
        assertEquals("****", setting(stowage, "ebs.secretKey").value());
        assertEquals("****", setting(stowage, "ebs.accessKey").value());
        texts.add(stowage.config().toString());
        DriverConfig section = stowage.config().driverSection("ebs").orElseThrow();
        texts.add(section.toString());
        EbsSettings settings = section.bind(EbsSettings.class);
        assertEquals(Optional.of(SECRET_KEY), settings.secretKey(), "the value is bound");
        texts.add(settings.toString());
        texts.add(settings.clientConfig().toString());
        texts.add(stowage.volumes().toString());
      }
      // A bad value next to the secret: the problem is reported, the secret is not.
      texts.add(message(() -> reachingTheDoubles().configFile(file)
          .setting("ebs.maxRetries", "99").build()));
      // A secret EC2 refuses: HTTP 401 from the double for an unknown key ID.
      try (Stowage stowage = reachingTheDoubles().configFile(file)
          .setting("ebs.accessKey", "AKIDSTOWAGEWRONG0001").build()) {
        texts.add(message(() -> stowage.volumes().list()));
      }
      // The key without its ID.
      texts.add(message(() -> bare().configFile(file)
          .setting("ebs.endpoint", fixture.ec2.endpoint())
          .setting("ebs.metadataEndpoint", fixture.imds.endpoint()).build()));
    } finally {
      System.setErr(stderr);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("ebs.statusMaxAttempts is ignored"), "the log was captured: "
        + logged);
    texts.add(logged);
    assertTrue(texts.stream().anyMatch(t -> t.contains("maxRetries 99")), texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.contains("rejected the credentials")),
        texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.contains("accessKey and secretKey must be set"
        + " together")), texts.toString());
    for (String text : texts) {
      assertFalse(text.contains(SECRET_KEY), text);
    }
  }

  /** Stowage with the EBS driver and no EBS settings. */
  private Stowage.Builder bare() {
    return EbsFixture.bare(work, disks());
  }

  /** Stowage with the EBS driver and the doubles' endpoints and access key ID as code. */
  private Stowage.Builder reachingTheDoubles() {
    return bare().setting("ebs.accessKey", ACCESS_KEY)
        .setting("ebs.endpoint", fixture.ec2.endpoint())
        .setting("ebs.metadataEndpoint", fixture.imds.endpoint());
  }

  private LocalDisks disks() {
    if (disks == null) {
      disks = new LocalDisks(work.resolve("host"), INSTANCE, LocalDisks.Style.NVME, false);
    }
    return disks;
  }

  private static EffectiveSetting setting(Stowage stowage, String key) {
    return stowage.config().settings().stream().filter(s -> s.key().equalsIgnoreCase(key))
        .findFirst().orElseThrow(() -> new AssertionError(key + " in "
            + stowage.config().settings()));
  }

  private static String message(Runnable call) {
    StowageException e = assertThrows(StowageException.class, call::run);
    return e.toString();
  }
}
