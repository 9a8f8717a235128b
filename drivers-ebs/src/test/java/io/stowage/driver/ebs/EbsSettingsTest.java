package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.exception.ConfigurationException;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The EBS settings record and what the provider declares. */
class EbsSettingsTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  @Test
  void anEmptySectionTakesTheDocumentedDefaults() {
    EbsSettings settings = bind(Map.of());
    assertEquals(10, settings.maxRetries());
    assertEquals(Duration.ofSeconds(5), settings.connectTimeout());
    assertEquals(Duration.ofSeconds(30), settings.callTimeout());
    assertEquals(Duration.ofMinutes(2), settings.statusTimeout());
    assertEquals(PollSchedule.DEFAULT, settings.backendOptions().poll());
    assertEquals(Optional.empty(), settings.backendOptions().namespace());
    assertTrue(settings.usesMetadata());
    assertEquals(List.of(), settings.ignored());
    assertEquals(Optional.empty(), settings.clientConfig().accessKey(), "the default chain");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("maxRetries", 99);
    bad.put("statusInitialDelay", "0s");
    bad.put("instanceId", "web-1");
    bad.put("region", "us-east-1");
    bad.put("availabilityZone", "eu-west-1a");
    bad.put("accessKey", EbsFixture.ACCESS_KEY);
    bad.put("metadataEndpoint", "https://169.254.169.254");
    bad.put("tag", "a\tb");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> bind(bad));
    List<String> expected = List.of("maxRetries 99 must be from 0 to 50",
        "statusInitialDelay PT0S must be positive",
        "instanceId \"web-1\" is not an EC2 instance ID",
        "availabilityZone \"eu-west-1a\" is not in region \"us-east-1\"",
        "accessKey and secretKey must be set together",
        "metadataEndpoint \"https://169.254.169.254\" must be an http URL",
        "tag \"a\tb\" must be 1 to 256 letters");
    for (String problem : expected) {
      assertTrue(e.problems().stream().anyMatch(p -> p.contains(problem)),
          problem + " in " + e.problems());
    }
  }

  @Test
  void rexrayTagIsTagUnderItsRexRay03Name() {
    assertEquals(Optional.of("team-a"), bind(Map.of("rexrayTag", "team-a")).backendOptions()
        .namespace());
    assertEquals(Optional.of("team-a"), bind(Map.of("tag", "team-a", "rexrayTag", "team-a"))
        .backendOptions().namespace());
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> bind(Map.of("tag", "team-a", "rexrayTag", "team-b")));
    assertTrue(e.problems().get(0).contains("keep one of them"), e.getMessage());
  }

  @Test
  void libStorageKeysTheDriverDoesNotNeedAreAcceptedWithAWarningEach() {
    EbsSettings settings = bind(Map.of("statusMaxAttempts", 10, "useLargeDeviceRange", false,
        "nvmeBinPath", "/usr/sbin/nvme", "statusInitialDelay", "100ms"));
    assertEquals(3, settings.ignored().size(), settings.ignored().toString());
    assertEquals(PollSchedule.startingAt(Duration.ofMillis(100)),
        settings.backendOptions().poll(), "statusInitialDelay is used");
    assertEquals(List.of(), bind(Map.of("useLargeDeviceRange", true)).ignored(),
        "the large range is what the driver does anyway");
  }

  @Test
  void theKeysAreSecretsAndNothingIsRequired() {
    Map<String, DriverConfig.Setting> declared = DriverConfig.settingsOf(EbsSettings.class)
        .stream().collect(Collectors.toMap(DriverConfig.Setting::key, s -> s));
    assertTrue(declared.get("secretKey").secret());
    assertTrue(declared.get("accessKey").secret());
    assertFalse(declared.get("region").secret());
    assertTrue(declared.values().stream().noneMatch(DriverConfig.Setting::required));
    assertEquals(Optional.of("2m"), declared.get("statusTimeout").defaultValue());

    String shown = bind(Map.of("accessKey", EbsFixture.ACCESS_KEY,
        "secretKey", EbsFixture.SECRET_KEY, "kmsKeyId", "alias/team")).toString();
    assertFalse(shown.contains(EbsFixture.SECRET_KEY), shown);
    assertFalse(shown.contains(EbsFixture.ACCESS_KEY), shown);
  }

  @Test
  void theProviderDeclaresRexRaysSectionsInOrderAndTheThroughputOption() {
    EbsDriverProvider provider = new EbsDriverProvider();
    assertEquals(List.of("ec2", "aws"), provider.sectionAliases());
    Pattern ids = provider.volumeIdPattern().orElseThrow();
    assertTrue(ids.matcher("vol-0123456789abcdef0").matches());
    assertTrue(ids.matcher("vol-0123abcd").matches(), "the older 8-digit IDs");
    assertFalse(ids.matcher("vol-0123456789").matches());
    assertFalse(ids.matcher("pgdata").matches());
    assertEquals(Set.of("throughput"), provider.volumeOptionKeys());
    assertEquals(EnumSet.of(Capability.FORCE_DETACH, Capability.ATTACH_OTHER_INSTANCE,
        Capability.IOPS, Capability.VOLUME_TYPES, Capability.AVAILABILITY_ZONES,
        Capability.ENCRYPTION, Capability.SNAPSHOTS, Capability.COPY_SNAPSHOT,
        Capability.CREATE_FROM_SNAPSHOT, Capability.RESIZE, Capability.ONLINE_RESIZE),
        provider.capabilities());
    assertEquals(EbsSettings.class, provider.settingsType());
  }

  @Test
  void offEc2TheConfiguredIdentityIsUsedAndImdsIsNeverAsked() {
    Map<String, Object> settings = fixture.settings();
    settings.remove("metadataEndpoint");
    settings.put("instanceId", EbsFixture.OTHER_INSTANCE);
    settings.put("availabilityZone", EbsFixture.ZONE);
    settings.put("region", EbsFixture.REGION);
    try (StorageDriver driver = new EbsDriverProvider(work, work).create(
        DriverConfig.of("ebs", settings), Hosts.context(work))) {
      assertEquals(new Instance(InstanceId.of(EbsFixture.OTHER_INSTANCE),
          EbsFixture.OTHER_INSTANCE, Optional.of(EbsFixture.ZONE)), driver.localInstance());
      assertEquals(0, fixture.imds.tokenRequests() + fixture.imds.gets());
      assertEquals(0, fixture.ec2.total());
    }
  }

  private static EbsSettings bind(Map<String, ?> values) {
    return DriverConfig.of(EbsDriverProvider.NAME, values).bind(EbsSettings.class);
  }
}
