package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.Default;
import io.stowage.spi.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriverConfigBindingTest {
  enum Devices { LOOP, SIMULATED }

  /** Settings shaped like a real driver's, with declared defaults. */
  record Settings(@Default("http://10.0.2.2:18083") URI endpoint, String volumePath,
      @Default("SATA") String controllerName, @Default("false") boolean tls,
      @Default("10") int maxRetries, @Default("30") long portCount,
      @Default("2m") Duration statusTimeout, @Default("/dev/disk/by-id") Path diskIdPath,
      List<String> tags, Optional<String> username, Optional<Duration> pause,
      @Default("simulated") Devices devices, @Default("false") Boolean useLargeDeviceRange,
      @Default("1MiB") ByteSize chunk) {}

  /** Settings of which only the optional ones may be left out. */
  record Bare(Optional<String> name, @Default("false") boolean flag, @Default("0") int count,
      @Default("0") long big, Optional<String> maybe, List<String> items,
      Optional<Duration> delay) {}

  /** Settings with one required key. */
  record Required(String volumePath, @Default("3") int count) {}

  /** The virtualbox section of a configuration where that driver is not installed. */
  private static DriverConfig section(String yaml) {
    return ConfigLoader.builder().yaml("t.yml", yaml).load()
        .driverSection("virtualbox").orElseThrow();
  }

  @Test
  void bindsEveryTypeCaseInsensitively() {
    DriverConfig config = section("""
        virtualbox:
          ENDPOINT: http://h:18083
          volumepath: /vols
          TLS: true
          maxRetries: 3
          port-count: 8
          statusTimeout: 90s
          diskIDPath: /dev/disk/by-path
          tags: [a, b]
          Username: admin
          pause: 250ms
          devices: Loop
          useLargeDeviceRange: "yes"
          chunk: 2GiB
        """);
    Settings s = config.bind(Settings.class);
    assertEquals(new Settings(URI.create("http://h:18083"), "/vols", "SATA", true, 3, 8L,
        Duration.ofSeconds(90), Path.of("/dev/disk/by-path"), List.of("a", "b"),
        Optional.of("admin"), Optional.of(Duration.ofMillis(250)), Devices.LOOP, Boolean.TRUE,
        ByteSize.ofGiB(2)), s);
    assertEquals("virtualbox", config.driverName());
  }

  @Test
  void missingKeysTakeTheDefaults() {
    Settings s = section("virtualbox: {volumePath: /v}").bind(Settings.class);
    assertEquals(URI.create("http://10.0.2.2:18083"), s.endpoint());
    assertEquals("SATA", s.controllerName());
    assertEquals(10, s.maxRetries());
    assertEquals(Devices.SIMULATED, s.devices());
    assertEquals("/v", s.volumePath());
  }

  @Test
  void missingOptionalKeysAreEmpty() {
    Bare b = section("virtualbox: {}").bind(Bare.class);
    assertEquals(new Bare(Optional.empty(), false, 0, 0L, Optional.empty(), List.of(),
        Optional.empty()), b);
  }

  @Test
  void aMissingRequiredKeyIsNamedWithWhatItMustBe() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> section("virtualbox: {count: 4}").bind(Required.class));
    assertEquals(List.of("virtualbox.volumePath is required (a single value) and is not set"),
        e.problems());
    assertEquals(List.of(
        new DriverConfig.Setting("volumePath", "a single value", Optional.empty(), false, true),
        new DriverConfig.Setting("count", "a whole number", Optional.of("3"), false, false)),
        DriverConfig.settingsOf(Required.class));
  }

  @Test
  void aBadDeclaredDefaultIsTheRecordsFault() {
    record BadDefault(@Default("soon") Duration delay) {}
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> DriverConfig.of("virtualbox", Map.of()).bind(BadDefault.class));
    assertTrue(e.getMessage().contains("@Default of delay"), e.getMessage());
  }

  @Test
  void spaceSeparatedListsFromTheEnvironment() {
    DriverConfig config = ConfigLoader.builder()
        .drivers(List.of(new DriverSchema("virtualbox", List.of(), Bare.class)))
        .environment(Map.of("VIRTUALBOX_ITEMS", "x y  z")).load()
        .driverSection("virtualbox").orElseThrow();
    assertEquals(List.of("x", "y", "z"), config.bind(Bare.class).items());
  }

  @Test
  void unknownKeysAndBadValuesAreReportedAtOnce() {
    DriverConfig config = section("""
        virtualbox:
          endpont: http://h
          tls: maybe
          maxRetries: many
          statusTimeout: forever
          devices: tape
          tags: {a: 1}
          portCount: [1, 2]
        """);
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> config.bind(Settings.class));
    List<String> problems = e.problems();
    assertEquals(8, problems.size(), String.join("\n", problems));
    assertTrue(problems.contains("virtualbox.volumePath is required (a single value) and is not"
        + " set"), problems.toString());
    assertTrue(problems.get(0).contains("unknown setting virtualbox.endpont (did you mean"
        + " virtualbox.endpoint?)"), problems.get(0));
    assertTrue(problems.stream().anyMatch(p -> p.contains("virtualbox.tls \"maybe\" must be"
        + " true or false")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("devices")
        && p.contains("loop, simulated")), problems.toString());
    assertTrue(problems.stream().filter(p -> !p.contains("required"))
        .allMatch(p -> p.startsWith("t.yml:")), problems.toString());
  }

  @Test
  void checkReportsUnknownKeysAndBadValuesButNoMissingRequiredKey() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> section("virtualbox: {count: many, bogus: 1}").check(Required.class));
    assertEquals(List.of("t.yml:1: unknown setting virtualbox.bogus; known settings:"
        + " volumePath, count", "t.yml:1: virtualbox.count \"many\" must be a whole number"),
        e.problems());
    section("virtualbox: {count: 4}").check(Required.class);
    record Refusing(String volumePath) {
      Refusing {
        throw new IllegalStateException("the constructor must not run");
      }
    }
    section("virtualbox: {}").check(Refusing.class);
  }

  @Test
  void aRecordThatFailsUnexpectedlyIsNamedAsTheDriversFault() {
    record Broken(String volumePath) {
      Broken {
        throw new IllegalStateException("java.lang.Whatever");
      }
    }
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> section("virtualbox: {volumePath: /v}").bind(Broken.class));
    assertEquals(List.of("the virtualbox driver failed to read its settings (a fault in the"
        + " driver, not in the configuration; report it to the driver's authors)"), e.problems());
  }

  @Test
  void integerRangeIsChecked() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> section("virtualbox: {count: 99999999999}").bind(Bare.class));
    assertTrue(e.getMessage().contains("virtualbox.count"), e.getMessage());
  }

  @Test
  void onlyRecordsBind() {
    DriverConfig config = section("virtualbox: {}");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<Record> notRecord = (Class) String.class;
    assertThrows(InvalidArgumentException.class, () -> config.bind(notRecord));
  }

  @Test
  void unsupportedComponentTypeIsTheRecordsFault() {
    record Odd(Map<String, String> map) {}
    DriverConfig config = section("virtualbox: {map: x}");
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> config.bind(Odd.class));
    assertTrue(e.getMessage().contains("map"), e.getMessage());
  }

  @Test
  void constructorRejectionBecomesAConfigurationError() {
    record Strict(String volumePath) {
      Strict {
        if (volumePath == null) {
          throw new InvalidArgumentException("volumePath", null, "is required");
        }
      }
    }
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> section("virtualbox: {}").bind(Strict.class));
    assertTrue(e.getMessage().contains("volumePath"), e.getMessage());
  }

  @Test
  void declaredSensitiveSettingsAreMasked() {
    String secret = "pa55-w0rd-zz";
    DriverConfig config = ConfigLoader.builder()
        .yaml("t.yml", "fake: {apiKey: " + secret + ", root: /r}\n").load()
        .driverSection("fake").orElseThrow();
    assertFalse(config.toString().contains(secret), config.toString());
    assertTrue(config.toString().contains("root"), config.toString());
    record Fake(@Secret int apiKey, String root) {}
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> config.bind(Fake.class));
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertTrue(e.getMessage().contains("fake.apiKey ****"), e.getMessage());
  }
}
