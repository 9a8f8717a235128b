package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.config.ServiceConfig;
import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.model.ByteSize;
import io.stowage.spi.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Named services in the three spellings: REX-Ray 0.3's modules and libStorage's services as
 * their user guides show them (the files under {@code config/services/} are those examples,
 * unchanged), and Stowage's own.
 */
class ServicesConfigTest {
  /** The VirtualBox settings the guides' examples give. */
  record Vbox(Optional<String> endpoint, Optional<Boolean> tls, Optional<String> volumePath,
      Optional<String> controllerName, Optional<String> username,
      @Secret Optional<String> password) {}

  /** The Isilon settings REX-Ray's examples give. */
  record Isilon(Optional<String> endpoint, Optional<Boolean> insecure, Optional<String> username,
      @Secret Optional<String> password, Optional<String> volumePath, Optional<String> nfsHost,
      Optional<Boolean> quotas, Optional<String> dataSubnet) {}

  /** The ScaleIO settings libStorage's example gives. */
  record Scaleio(Optional<String> endpoint, Optional<Boolean> insecure, Optional<String> userName,
      @Secret Optional<String> password, Optional<String> systemName,
      Optional<String> protectionDomainName, Optional<String> storagePoolName) {}

  /** Settings shaped like the fake driver's. */
  record Fake(Optional<Path> root, Optional<String> instanceId) {}

  private static final List<DriverSchema> INSTALLED = List.of(
      new DriverSchema("virtualbox", List.of(), Vbox.class),
      new DriverSchema("isilon", List.of(), Isilon.class),
      new DriverSchema("scaleio", List.of(), Scaleio.class),
      new DriverSchema("fake", List.of(), Fake.class));

  private static final Path PLUGINS = Path.of("/run/docker/plugins");

  private static StowageConfig example(String name) throws IOException {
    String text;
    try (InputStream in = ServicesConfigTest.class.getResourceAsStream(
        "/config/services/" + name)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return ConfigLoader.builder().yaml(name, text).drivers(INSTALLED).load();
  }

  private static StowageConfig yaml(String text) {
    return ConfigLoader.builder().yaml("t.yml", text).drivers(INSTALLED).load();
  }

  private static ConfigurationException rejected(String text) {
    return assertThrows(ConfigurationException.class, () -> yaml(text));
  }

  private static ServiceConfig service(StowageConfig config, String name) {
    return config.services().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + names(config)));
  }

  private static List<String> names(StowageConfig config) {
    return config.services().stream().map(ServiceConfig::name).toList();
  }

  private static String setting(StowageConfig config, String key) {
    return config.settings().stream().filter(s -> s.key().equals(key)).findFirst()
        .map(s -> s.value() + " @ " + s.source()).orElse("absent");
  }

  @Test
  void withoutServicesEachDriverIsItsOwnServiceAndTheFirstIsTheDefault() {
    StowageConfig config = yaml("rexray:\n  storageDrivers: [virtualbox, fake]\n"
        + "virtualbox: {volumePath: /v}\n");
    assertEquals(List.of("virtualbox", "fake"), names(config));
    assertEquals(List.of("virtualbox", "fake"), config.storageDrivers());
    ServiceConfig vbox = config.defaultService();
    assertEquals("virtualbox", vbox.driver());
    assertEquals(Optional.of(ServiceConfig.DEFAULT_SOCKET), vbox.socket());
    assertEquals(Optional.empty(), service(config, "fake").socket());
    assertEquals(config.volumeSettings(), vbox.volumes());
    assertSame(config.driverSection("virtualbox").orElseThrow(), vbox.driverSection());
    assertSame(vbox, config.service("rexray").orElseThrow());
    assertSame(vbox, config.service("stowage").orElseThrow());
    assertSame(service(config, "fake"), config.service("FAKE").orElseThrow());
    assertEquals(Optional.empty(), config.service("ebs"));
  }

  @Test
  void rexRayExampleWithModules() throws IOException {
    StowageConfig config = example("rexray-0.3-modules.yml");

    assertEquals(List.of("virtualbox", "virtualbox2"), names(config));
    assertEquals(List.of("virtualbox"), config.storageDrivers());
    ServiceConfig vb1 = config.defaultService();
    assertEquals("virtualbox", vb1.driver());
    assertEquals(List.of("default-docker"), vb1.aliases());
    assertEquals(Optional.of(PLUGINS.resolve("vb1.sock")), vb1.socket());
    assertEquals(Optional.of("The default docker module."), vb1.description());
    assertEquals(Optional.of(ByteSize.ofGiB(1)), vb1.volumes().createDefaults().size());
    assertEquals(new Vbox(Optional.of("http://10.0.2.2:18083"), Optional.of(false),
        Optional.of("/Users/your_user/Repos/vagrant/rexray/Volumes"), Optional.of("SATA"),
        Optional.empty(), Optional.empty()), vb1.driverSection().bind(Vbox.class));

    ServiceConfig vb2 = service(config, "virtualbox2");
    assertEquals("virtualbox", vb2.driver());
    assertEquals(Optional.of(PLUGINS.resolve("vb2.sock")), vb2.socket());
    assertEquals(Optional.of("The second docker module."), vb2.description());
    assertEquals(Optional.of(ByteSize.ofGiB(16)), vb2.volumes().createDefaults().size());
    assertEquals(vb1.driverSection().bind(Vbox.class), vb2.driverSection().bind(Vbox.class));
    assertNotSame(vb1.driverSection(), vb2.driverSection());

    // Docker knows them by their sockets: docker run --volume-driver=vb2.
    assertSame(vb2, config.service("vb2").orElseThrow());
    assertSame(vb1, config.service("vb1").orElseThrow());
    assertSame(vb1, config.service("default-docker").orElseThrow());
    assertSame(vb1, config.service("rexray").orElseThrow());
    assertEquals(List.of("example: rexray-0.3-modules.yml:3: rexray.logLevel is a REX-Ray/"
        + "libStorage setting that Stowage does not use; ignored"),
        config.warnings().stream().map(w -> "example: " + w).toList());
    assertEquals("1GiB @ rexray-0.3-modules.yml:12",
        setting(config, "stowage.services.virtualbox.volume.create.default.size"));
    assertEquals("unix:///run/docker/plugins/vb2.sock @ rexray-0.3-modules.yml:21",
        setting(config, "stowage.services.virtualbox2.host"));
  }

  @Test
  void rexRayAdditionalModulesShareTheDriversSection() throws IOException {
    StowageConfig config = example("rexray-0.3-additional-modules.yml");
    assertEquals(List.of("isilon", "isilon2"), names(config));
    ServiceConfig isilon2 = service(config, "isilon2");
    assertEquals("isilon", isilon2.driver());
    assertEquals(Optional.of(PLUGINS.resolve("isilon2.sock")), isilon2.socket());
    assertEquals(Optional.of(Path.of("/etc/docker/plugins/isilon2.spec")), isilon2.spec());
    assertEquals(Optional.of("A second docker module."), isilon2.description());
    assertSame(config.driverSection("isilon").orElseThrow(), isilon2.driverSection());
    assertSame(config.defaultService().driverSection(), isilon2.driverSection());
    assertEquals(Optional.of(ServiceConfig.DEFAULT_SOCKET), config.defaultService().socket());
    assertFalse(config.settings().toString().contains("P@ssword1!"));
  }

  @Test
  void rexRayInfersTheSocketOfAModuleFromItsName() throws IOException {
    StowageConfig config = example("rexray-0.3-inferred-properties.yml");
    ServiceConfig isilon2 = service(config, "isilon2");
    assertEquals(Optional.of(PLUGINS.resolve("isilon2.sock")), isilon2.socket());
    assertEquals(Optional.empty(), isilon2.spec());
  }

  @Test
  void rexRayOverridingDefaultsMovesTheDefaultSocketAndIgnoresTheAdminModule()
      throws IOException {
    StowageConfig config = example("rexray-0.3-overriding-defaults.yml");
    assertEquals(List.of("isilon"), names(config));
    assertEquals(Optional.of(PLUGINS.resolve("isilon1.sock")), config.defaultService().socket());
    assertEquals(List.of("rexray-0.3-overriding-defaults.yml:7: rexray.modules.default-admin"
        + " is a REX-Ray admin module; Stowage has no admin API, so it is ignored"),
        config.warnings());
  }

  @Test
  void rexRayOverridingInheritedPropertiesGivesAModuleItsOwnDriverSettings()
      throws IOException {
    StowageConfig config = example("rexray-0.3-overriding-inherited.yml");
    Isilon shared = config.defaultService().driverSection().bind(Isilon.class);
    Isilon isilon2 = service(config, "isilon2").driverSection().bind(Isilon.class);
    assertEquals(Optional.of("/rexray/default"), shared.volumePath());
    assertEquals(Optional.of("/rexray/isilon2"), isilon2.volumePath());
    assertEquals(shared.endpoint(), isilon2.endpoint());
    assertEquals(shared.password(), isilon2.password());
    assertEquals("/rexray/isilon2 @ rexray-0.3-overriding-inherited.yml:9",
        setting(config, "stowage.services.isilon2.isilon.volumePath"));
    assertEquals("**** @ rexray-0.3-overriding-inherited.yml:14",
        setting(config, "isilon.password"));
  }

  @Test
  void rexRayModuleWithItsOwnStorageDriver() throws IOException {
    StowageConfig config = example("rexray-0.3-module-driver.yml");
    assertEquals("isilonenhanced", service(config, "isilon2").driver());
    assertEquals(List.of("isilon", "isilonenhanced"), config.storageDrivers());
  }

  @Test
  void rexRayDisablingModules() throws IOException {
    StowageConfig config = example("rexray-0.3-disabling-modules.yml");
    assertEquals(List.of("isilon", "isilon2"), names(config));
    assertEquals(Optional.empty(), config.defaultService().socket(),
        "default-docker is disabled: the default service serves no socket");
    assertEquals(Optional.of(PLUGINS.resolve("isilon2.sock")),
        service(config, "isilon2").socket());
  }

  @Test
  void libStorageSimpleExample() throws IOException {
    StowageConfig config = example("libstorage-simple.yml");
    assertEquals(List.of("virtualbox"), names(config));
    ServiceConfig vbox = config.defaultService();
    assertEquals("virtualbox", vbox.driver());
    assertEquals(Optional.of("/Users/your_user/VirtualBox Volumes"),
        vbox.driverSection().bind(Vbox.class).volumePath());
    assertEquals(Optional.of(ServiceConfig.DEFAULT_SOCKET), vbox.socket());
  }

  @Test
  void libStorageMultipleServicesExample() throws IOException {
    StowageConfig config = example("libstorage-multiple-services.yml");
    assertEquals(List.of("virtualbox-00", "virtualbox-01", "scaleio"), names(config));
    assertEquals(List.of("virtualbox", "scaleio"), config.storageDrivers());
    assertEquals(Optional.of(ByteSize.ofGiB(16)),
        service(config, "virtualbox-00").volumes().createDefaults().size());
    assertEquals(Optional.of(ByteSize.ofGiB(1)),
        service(config, "virtualbox-01").volumes().createDefaults().size());
    ServiceConfig scaleio = service(config, "scaleio");
    assertEquals(Optional.of("password"), scaleio.driverSection().bind(Scaleio.class).password());
    assertEquals(Optional.of(PLUGINS.resolve("scaleio.sock")), scaleio.socket());
    assertEquals(Optional.of(PLUGINS.resolve("virtualbox-01.sock")),
        service(config, "virtualbox-01").socket());
    assertEquals(Optional.of(ServiceConfig.DEFAULT_SOCKET),
        service(config, "virtualbox-00").socket());
    assertSame(service(config, "virtualbox-00"), config.service("virtualbox").orElseThrow(),
        "a driver's name means the first service of that driver");
    assertEquals("**** @ libstorage-multiple-services.yml:30",
        setting(config, "stowage.services.scaleio.scaleio.password"));
  }

  @Test
  void libStorageMultipleServicesAsItsLaterGuideSpellsThem() {
    StowageConfig config = yaml("""
        libstorage:
          server:
            services:
              virtualbox-00:
                driver: virtualbox
                virtualbox:
                  volumePath:     $HOME/VirtualBox/Volumes-00
              virtualbox-01:
                driver: virtualbox
                virtualbox:
                  volumePath:     $HOME/VirtualBox/Volumes-01
                integration:
                  volume:
                    operations:
                      create:
                        default:
                          size: 1 # GB
        """);
    assertEquals(Optional.of(ByteSize.ofGiB(1)),
        service(config, "virtualbox-01").volumes().createDefaults().size());
    assertEquals(Optional.of("$HOME/VirtualBox/Volumes-01"),
        service(config, "virtualbox-01").driverSection().bind(Vbox.class).volumePath());
  }

  @Test
  void libStorageServicesInheritTheServerScope() throws IOException {
    StowageConfig config = example("libstorage-inherited-properties.yml");
    Vbox v00 = service(config, "virtualbox-00").driverSection().bind(Vbox.class);
    Vbox v01 = service(config, "virtualbox-01").driverSection().bind(Vbox.class);
    assertEquals(Optional.of("http://10.0.2.2:18083"), v00.endpoint());
    assertEquals(Optional.of("SATA"), v01.controllerName());
    assertEquals(Optional.of("/Users/your_user/VirtualBox Volumes-00"), v00.volumePath());
    assertEquals(Optional.of("/Users/your_user/VirtualBox Volumes-01"), v01.volumePath());
    assertEquals(Optional.of(ByteSize.ofGiB(1)), config.volumeSettings().createDefaults().size());
    assertEquals(Optional.of(ByteSize.ofGiB(1)),
        service(config, "virtualbox-00").volumes().createDefaults().size());
  }

  @Test
  void aRexRayModuleServesTheLibStorageServiceItNames() {
    StowageConfig config = yaml("""
        rexray:
          modules:
            default-docker:
              disabled: true
            efs-docker:
              type: docker
              host: unix:///run/docker/plugins/efs.sock
              libstorage:
                service: efs
            fake-docker:
              type: docker
              host: unix:///run/docker/plugins/platform1.sock
              desc: the first platform
              libstorage:
                service: platform1
        libstorage:
          server:
            services:
              platform1:
                driver: fake
                fake: {root: /srv/platform1}
              efs:
                driver: fake
                fake: {root: /srv/efs}
        """);
    assertEquals(List.of("efs", "platform1"), names(config));
    ServiceConfig platform1 = service(config, "platform1");
    assertEquals(List.of("fake-docker"), platform1.aliases());
    assertEquals(Optional.of(PLUGINS.resolve("platform1.sock")), platform1.socket());
    assertEquals(Optional.of("the first platform"), platform1.description());
    assertEquals(Optional.of(Path.of("/srv/platform1")),
        platform1.driverSection().bind(Fake.class).root());
    assertEquals(Optional.of(PLUGINS.resolve("efs.sock")), config.defaultService().socket());
    assertSame(platform1, config.service("fake-docker").orElseThrow());
  }

  @Test
  void stowageSpelling() {
    StowageConfig config = yaml("""
        stowage:
          storageDrivers: [fake]
          volume: {mount: {preempt: false}}
          services:
            platform1:
              driver: fake
              desc: the first platform
              fake: {root: /srv/platform1}
              volume:
                mount: {preempt: true, root: /srv/volumes1}
            platform2:
              driver: fake
              host: unix:///var/run/stowage/platform2.sock
              spec: /etc/docker/plugins/platform2.spec
              fake: {root: /srv/platform2}
            retired:
              driver: fake
              disabled: true
        """);
    assertEquals(List.of("fake", "platform1", "platform2"), names(config));
    ServiceConfig p1 = service(config, "platform1");
    assertTrue(p1.volumes().preempt());
    assertEquals(Path.of("/srv/volumes1"), p1.volumes().mountRoot());
    assertFalse(config.defaultService().volumes().preempt());
    assertEquals(Optional.of(PLUGINS.resolve("platform1.sock")), p1.socket());
    ServiceConfig p2 = service(config, "platform2");
    assertEquals(Optional.of(Path.of("/var/run/stowage/platform2.sock")), p2.socket());
    assertEquals(Optional.of(Path.of("/etc/docker/plugins/platform2.spec")), p2.spec());
    assertSame(p2, config.service("platform2").orElseThrow());
    assertEquals(Optional.of(Path.of("/srv/platform2")),
        p2.driverSection().bind(Fake.class).root());
    assertEquals("true @ t.yml:10",
        setting(config, "stowage.services.platform1.volume.mount.preempt"));
  }

  @Test
  void aServiceNamedAfterItsDriverConfiguresTheDriversOwnService() {
    StowageConfig config = yaml("""
        rexray:
          storageDrivers: [fake]
        libstorage:
          server:
            services:
              fake:
                driver: fake
                integration: {volume: {operations: {mount: {preempt: true}}}}
        """);
    assertEquals(List.of("fake"), names(config));
    assertTrue(config.defaultService().volumes().preempt());
    assertFalse(config.volumeSettings().preempt());
  }

  @Test
  void theDefaultServiceSettingPicksADeclaredService() {
    StowageConfig config = yaml("""
        libstorage:
          service: platform2
          server:
            services:
              platform1: {driver: fake}
              platform2: {driver: fake}
        """);
    assertEquals(List.of("platform2", "platform1"), names(config));
    assertEquals(Optional.of(ServiceConfig.DEFAULT_SOCKET), config.defaultService().socket());
  }

  @Test
  void aServiceOverrideWinsOverTheGlobalValueOfAnySource() {
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", """
            rexray:
              storageDrivers: [fake]
              modules:
                m1:
                  rexray: {volume: {mount: {preempt: false}}}
                m2:
                  docker: {size: 2}
            """)
        .environment(Map.of("REXRAY_VOLUME_MOUNT_PREEMPT", "true",
            "REXRAY_MODULES_M2_DOCKER_SIZE", "3",
            "STOWAGE_SERVICES_M3_DRIVER", "fake",
            "STOWAGE_SERVICES_M3_FAKE_ROOT", "/srv/m3",
            "STOWAGE_SERVICES_M3_VOLUME_CREATE_DEFAULT_SIZE", "5",
            "LIBSTORAGE_SERVER_SERVICES_M4_DRIVER", "fake",
            "LIBSTORAGE_SERVER_SERVICES_M4_INTEGRATION_DEVICE_ATTACHTIMEOUT", "9s"))
        .setting("stowage.services.m3.volume.mount.preempt", "false")
        .load();
    assertTrue(config.volumeSettings().preempt());
    assertTrue(config.defaultService().volumes().preempt());
    assertFalse(service(config, "m1").volumes().preempt(), "a file's override beats env");
    assertTrue(service(config, "m2").volumes().preempt());
    assertEquals(Optional.of(ByteSize.ofGiB(3)),
        service(config, "m2").volumes().createDefaults().size(), "env beats file in a scope");
    assertFalse(service(config, "m3").volumes().preempt());
    assertEquals(Optional.of(ByteSize.ofGiB(5)),
        service(config, "m3").volumes().createDefaults().size());
    assertEquals(Optional.of(Path.of("/srv/m3")),
        service(config, "m3").driverSection().bind(Fake.class).root());
    assertEquals(Duration.ofSeconds(30), service(config, "m4").volumes().attachTimeout(),
        "INTEGRATION_DEVICE_ATTACHTIMEOUT is no setting: the device timeout is not below"
            + " integration");
    assertTrue(config.warnings().stream().anyMatch(w -> w.contains(
        "LIBSTORAGE_SERVER_SERVICES_M4_INTEGRATION_DEVICE_ATTACHTIMEOUT")), config.warnings()
        .toString());
  }

  @Test
  void everyMistakeInServicesIsReportedAtOnce() {
    ConfigurationException e = rejected("""
        rexray:
          storageDrivers: [fake]
          modules:
            Bad_Name: {type: docker}
            tcp-docker: {type: docker, host: "tcp://127.0.0.1:7980"}
            odd: {type: mesos}
            both: {libstorage: {service: x}, rexray: {storageDrivers: [fake]}}
            typo: {hots: unix:///run/docker/plugins/typo.sock}
            one: {host: unix:///run/docker/plugins/same.sock}
            two: {host: unix:///run/docker/plugins/same.sock}
        stowage:
          services:
            nodriver-svc: {desc: no driver}
            fake2:
              driver: fake
              state: {directory: /elsewhere}
              stowage: {services: {inner: {driver: fake}}}
            virtualbox: {driver: fake}
        """);
    String all = String.join("\n", e.problems());
    for (String expected : List.of(
        "rexray.modules.Bad_Name is not a service name",
        "rexray.modules.tcp-docker.host \"tcp://127.0.0.1:7980\" must be a unix socket",
        "rexray.modules.odd.type \"mesos\" must be docker or admin",
        "rexray.modules.both.rexray.storageDrivers",
        "unknown key rexray.modules.typo.hots (did you mean rexray.modules.typo.host?)",
        "services one and two would both be served on /run/docker/plugins/same.sock",
        "service nodriver-svc names no driver; set stowage.services.nodriver-svc.driver",
        "stowage.services.fake2.state.directory cannot be set for one service",
        "stowage.services.fake2.stowage.services.inner.driver: services are declared at the top",
        "service virtualbox is named after the virtualbox driver but uses the fake driver")) {
      assertTrue(all.contains(expected), expected + " in\n" + all);
    }
    assertEquals(10, e.problems().size(), all);
  }

  @Test
  void aServicesDriverSettingsAreCheckedLikeTheDriversOwn() {
    ConfigurationException e = rejected("""
        stowage:
          services:
            p1:
              driver: virtualbox
              virtualbox: {tls: perhaps, volumPath: /v}
        """);
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("service p1: "), all);
    assertTrue(all.contains("volumPath"), all);
    assertTrue(all.contains("tls"), all);
  }

  @Test
  void anotherDriversSectionBelowAServiceIsAWarning() {
    StowageConfig config = yaml("""
        stowage:
          services:
            p1:
              driver: fake
              virtualbox: {volumePath: /v}
        """);
    assertTrue(config.warnings().stream().anyMatch(w -> w.contains("stowage.services.p1."
        + "virtualbox configures the virtualbox driver, which service p1 does not use")),
        config.warnings().toString());
  }
}
