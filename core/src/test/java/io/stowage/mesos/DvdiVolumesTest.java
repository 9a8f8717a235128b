package io.stowage.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DvdiVolumesTest {
  /** The seed: the REX-Ray guide's Marathon env block, two volumes on two platforms. */
  private static String seedApp() throws IOException {
    try (InputStream in = DvdiVolumesTest.class.getResourceAsStream(
        "/mesos/marathon-dvdi-env.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static final Map<String, String> SEED_ENV = Map.of(
      "DVDI_VOLUME_NAME", "testing",
      "DVDI_VOLUME_DRIVER", "platform1",
      "DVDI_VOLUME_OPTS", "size=5,iops=150,volumetype=io1,newfstype=ext4,overwritefs=false",
      "DVDI_VOLUME_NAME1", "testing2",
      "DVDI_VOLUME_DRIVER1", "platform2",
      "DVDI_VOLUME_OPTS1", "size=6,volumetype=gp2,newfstype=xfs,overwritefs=true");

  private static Map<String, String> options(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static InvalidArgumentException refusedEnv(Map<String, String> env) {
    return assertThrows(InvalidArgumentException.class, () -> DvdiVolumes.fromEnvironment(env));
  }

  private static InvalidArgumentException refusedApp(String json) {
    return assertThrows(InvalidArgumentException.class, () -> DvdiVolumes.fromMarathonApp(json));
  }

  @Test
  void theSeedEnvBlockGivesTwoVolumesOnTheirPlatforms() throws IOException {
    List<DvdiVolume> expected = List.of(
        new DvdiVolume("testing", "platform1", options("size", "5", "iops", "150",
            "volumetype", "io1", "newfstype", "ext4", "overwritefs", "false"), Optional.empty(),
            false, "env.DVDI_VOLUME_NAME"),
        new DvdiVolume("testing2", "platform2", options("size", "6", "volumetype", "gp2",
            "newfstype", "xfs", "overwritefs", "true"), Optional.empty(), false,
            "env.DVDI_VOLUME_NAME1"));
    assertEquals(expected, DvdiVolumes.fromMarathonApp(seedApp()));

    List<DvdiVolume> fromEnv = DvdiVolumes.fromEnvironment(SEED_ENV);
    assertEquals(List.of("DVDI_VOLUME_NAME", "DVDI_VOLUME_NAME1"),
        fromEnv.stream().map(DvdiVolume::source).toList());
    assertEquals(expected.get(1).options(), fromEnv.get(1).options());

    VolumeOptions typed = fromEnv.get(0).volumeOptions(Set.of());
    assertEquals(Optional.of(ByteSize.ofGiB(5)), typed.size());
    assertEquals(Optional.of(150L), typed.iops());
    assertEquals(Optional.of("io1"), typed.volumeType());
    assertEquals(Optional.of(FsType.EXT4), typed.newFsType());
    assertEquals(Optional.of(false), typed.overwriteFs());
    assertEquals(Optional.of(FsType.XFS), fromEnv.get(1).volumeOptions(Set.of()).newFsType());
  }

  @Test
  void readOnlyAndMountOptionsJoinedWithPlusPassThroughDvdiOpts() {
    DvdiVolume volume = DvdiVolumes.fromEnvironment(Map.of("DVDI_VOLUME_NAME", "ref",
        "DVDI_VOLUME_OPTS", "ro=true,mountoptions=noatime+nodev+data=ordered")).get(0);
    assertEquals(MountOptions.parseJoined("ro+noatime+nodev+data=ordered"),
        volume.volumeOptions(Set.of()).mount());
    InvalidArgumentException e = refusedEnv(Map.of("DVDI_VOLUME_NAME", "ref",
        "DVDI_VOLUME_OPTS", "mountoptions=exec+noexec"));
    assertTrue(e.getMessage().contains("contradicts exec"), e.getMessage());
  }

  @Test
  void defaultsAndTheOtherVariables() {
    List<DvdiVolume> volumes = DvdiVolumes.fromEnvironment(Map.of(
        "DVDI_VOLUME_NAME", "pgdata",
        "DVDI_VOLUME_CONTAINERPATH", "/var/lib/postgresql/data",
        "DVDI_VOLUME_EXPLICITCREATE", "TRUE",
        "DVDI_VOLUME_NAME3", "logs",
        "DVDI_VOLUME_DRIVER3", "",
        "DVDI_VOLUME_DVDCLI", "/usr/bin/dvdcli",
        "PATH", "/usr/bin:/bin", "DVDI_OTHER", "x y"));
    assertEquals(List.of(
        new DvdiVolume("pgdata", "rexray", Map.of(), Optional.of(
            Path.of("/var/lib/postgresql/data")), true, "DVDI_VOLUME_NAME"),
        new DvdiVolume("logs", "rexray", Map.of(), Optional.empty(), false,
            "DVDI_VOLUME_NAME3")), volumes);
    assertEquals(List.of(), DvdiVolumes.fromEnvironment(Map.of("HOME", "/root")));
    assertEquals(List.of(), DvdiVolumes.fromEnvironment(Map.of("DVDI_VOLUME_NAME", "")));
  }

  @Test
  void aVolumeDeclaredTwiceCountsOnceUnlessItGivesAContainerPathAgain() {
    List<DvdiVolume> volumes = DvdiVolumes.fromEnvironment(Map.of(
        "DVDI_VOLUME_NAME", "pgdata", "DVDI_VOLUME_CONTAINERPATH", "/data",
        "DVDI_VOLUME_NAME1", "PGDATA", "DVDI_VOLUME_DRIVER1", "REXRAY"));
    assertEquals(List.of("pgdata"), volumes.stream().map(DvdiVolume::name).toList());
    InvalidArgumentException e = refusedEnv(Map.of(
        "DVDI_VOLUME_NAME", "pgdata",
        "DVDI_VOLUME_NAME1", "pgdata", "DVDI_VOLUME_CONTAINERPATH1", "/data"));
    assertEquals("DVDI_VOLUME_NAME1", e.field());
    assertTrue(e.getMessage().contains("a repeated volume may not have one"), e.getMessage());
    assertEquals(2, DvdiVolumes.fromEnvironment(Map.of("DVDI_VOLUME_NAME", "pgdata",
        "DVDI_VOLUME_NAME1", "pgdata", "DVDI_VOLUME_DRIVER1", "platform2")).size(),
        "another driver's volume of the same name is another volume");
  }

  @Test
  void forbiddenCharactersAreRefusedNamingTheVariable() {
    for (String bad : List.of("a b", "a;rm -rf", "x$(id)", "x`id`", "a/b", "a:b", "a\nb", "a\u0000",
        "{x}", "a\\b", "a'b", "a\"b", "a|b", "a&b", "a?b", "a^b", "a%b", "a<b", "a>b", "a[b]")) {
      for (String variable : List.of("DVDI_VOLUME_NAME2", "DVDI_VOLUME_DRIVER2",
          "DVDI_VOLUME_OPTS2", "DVDI_VOLUME_EXPLICITCREATE2")) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("DVDI_VOLUME_NAME2", "ok"));
        env.put(variable, bad);
        InvalidArgumentException e = refusedEnv(env);
        assertEquals(variable, e.field(), bad);
        assertTrue(e.getMessage().contains("mesos-module-dvdi's rule"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
      }
    }
  }

  @Test
  void anEleventhVolumeOrASuffixThatIsNotOneDigitIsRefused() {
    InvalidArgumentException eleventh = refusedEnv(Map.of("DVDI_VOLUME_NAME10", "eleven"));
    assertEquals("DVDI_VOLUME_NAME10", eleventh.field());
    assertTrue(eleventh.getMessage().contains("at most 10 volumes"), eleventh.getMessage());
    for (String variable : List.of("DVDI_VOLUME_NAMEX", "DVDI_VOLUME_NAME1A",
        "DVDI_VOLUME_OPTS_1", "DVDI_VOLUME_NAMES", "DVDI_VOLUME_DRIVER01")) {
      InvalidArgumentException e = refusedEnv(Map.of(variable, "x"));
      assertEquals(variable, e.field());
    }
    InvalidArgumentException unknown = refusedEnv(Map.of("DVDI_VOLUME_OPT1", "size=1"));
    assertTrue(unknown.getMessage().contains("is not a DVDI variable"), unknown.getMessage());
    InvalidArgumentException zero = refusedEnv(Map.of("DVDI_VOLUME_NAME", "a",
        "DVDI_VOLUME_NAME0", "b"));
    assertTrue(zero.getMessage().contains("the suffix 0"), zero.getMessage());
  }

  @Test
  void containerPathRules() {
    InvalidArgumentException relative = refusedEnv(Map.of("DVDI_VOLUME_NAME", "a",
        "DVDI_VOLUME_CONTAINERPATH", "data"));
    assertEquals("DVDI_VOLUME_CONTAINERPATH", relative.field());
    assertTrue(relative.getMessage().contains("must be an absolute path"));
    InvalidArgumentException shared = refusedEnv(Map.of(
        "DVDI_VOLUME_NAME", "a", "DVDI_VOLUME_CONTAINERPATH", "/data",
        "DVDI_VOLUME_NAME1", "b", "DVDI_VOLUME_CONTAINERPATH1", "/data/"));
    assertEquals("DVDI_VOLUME_NAME1", shared.field());
    assertTrue(shared.getMessage().contains("two volumes cannot share a container path"),
        shared.getMessage());
    InvalidArgumentException dots = refusedEnv(Map.of("DVDI_VOLUME_NAME", "a",
        "DVDI_VOLUME_CONTAINERPATH", "/tmp/../etc"));
    assertTrue(dots.getMessage().contains(". or .."), dots.getMessage());
  }

  @Test
  void variablesOfAVolumeWithoutANameAndBadOptionsAreRefused() {
    InvalidArgumentException orphan = refusedEnv(Map.of("DVDI_VOLUME_NAME", "a",
        "DVDI_VOLUME_OPTS4", "size=1"));
    assertEquals("DVDI_VOLUME_OPTS4", orphan.field());
    assertTrue(orphan.getMessage().contains("set DVDI_VOLUME_NAME4"), orphan.getMessage());
    for (String opts : List.of("size", "=1", "size=1,,iops=5", "size=1,", "size=1,SIZE=2",
        "size=big", "iops=0", "newfstype=ntfs")) {
      InvalidArgumentException e = refusedEnv(Map.of("DVDI_VOLUME_NAME1", "a",
          "DVDI_VOLUME_OPTS1", opts));
      assertEquals("DVDI_VOLUME_OPTS1", e.field(), opts);
    }
    InvalidArgumentException create = refusedEnv(Map.of("DVDI_VOLUME_NAME", "a",
        "DVDI_VOLUME_EXPLICITCREATE", "yes"));
    assertEquals("DVDI_VOLUME_EXPLICITCREATE", create.field());
    InvalidArgumentException name = refusedEnv(Map.of("DVDI_VOLUME_NAME", "-a"));
    assertEquals("DVDI_VOLUME_NAME", name.field());
  }

  @Test
  void aDriversOwnOptionsAreCheckedWhenTheDriverIsKnown() {
    DvdiVolume volume = DvdiVolumes.fromEnvironment(Map.of("DVDI_VOLUME_NAME3", "a",
        "DVDI_VOLUME_OPTS3", "size=1,tier=gold")).get(0);
    assertEquals(Map.of("tier", "gold"), volume.volumeOptions(Set.of("tier")).extra());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> volume.volumeOptions(Set.of()));
    assertEquals("DVDI_VOLUME_OPTS3", e.field());
    assertTrue(e.getMessage().contains("unknown option"), e.getMessage());
  }

  @Test
  void marathonGuideExamplesForMesosAndDockerContainers() {
    String mesos = """
        {
          "id": "hello",
          "instances": 1,
          "cpus": 0.1,
          "mem": 32,
          "cmd": "/usr/bin/tail -f /dev/null",
          "container": {
            "type": "MESOS",
            "volumes": [
              {
                "containerPath": "/tmp/test-rexray-volume",
                "external": {
                  "size": 100,
                  "name": "my-test-vol",
                  "provider": "dvdi",
                  "options": { "dvdi/driver": "rexray" }
                  },
                "mode": "RW"
              }
            ]
          },
          "upgradeStrategy": {
            "minimumHealthCapacity": 0,
            "maximumOverCapacity": 0
          }
        }
        """;
    assertEquals(List.of(new DvdiVolume("my-test-vol", "rexray", Map.of("size", "100"),
        Optional.of(Path.of("/tmp/test-rexray-volume")), false,
        "container.volumes[0].external")), DvdiVolumes.fromMarathonApp(mesos));
    String docker = """
        {
          "id": "/test-docker",
          "instances": 1,
          "container": {
            "type": "DOCKER",
            "docker": {"image": "alpine:3.1", "network": "HOST", "forcePullImage": true},
            "volumes": [
              {
                "containerPath": "/data/test-rexray-volume",
                "external": {
                  "name": "my-test-vol",
                  "provider": "dvdi",
                  "options": { "dvdi/driver": "rexray" }
                },
                "mode": "RW"
              },
              {"containerPath": "/etc/app", "hostPath": "/etc/app", "mode": "RO"}
            ]
          },
          "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}
        }
        """;
    assertEquals(List.of(new DvdiVolume("my-test-vol", "rexray", Map.of(),
        Optional.of(Path.of("/data/test-rexray-volume")), false,
        "container.volumes[0].external")), DvdiVolumes.fromMarathonApp(docker));
  }

  @Test
  void marathonPassesDvdiOptionsOnAndItsSizeWins() {
    List<DvdiVolume> volumes = DvdiVolumes.fromMarathonApp("""
        {"env": {"DVDI_VOLUME_NAME": "seed", "DVDI_VOLUME_DRIVER": "platform1", "OTHER": 3},
         "container": {"type": "MESOS", "volumes": [
           {"containerPath": "/data", "external": {"name": "pgdata", "provider": "dvdi",
            "size": 8, "options": {"dvdi/driver": "platform2", "dvdi/size": "2",
            "dvdi/volumetype": " io1 ", "dcos/label": "ignored"}}}]}}
        """);
    assertEquals(List.of("seed", "pgdata"), volumes.stream().map(DvdiVolume::name).toList());
    assertEquals(Map.of("volumetype", "io1", "size", "8"), volumes.get(1).options());
    assertEquals("platform2", volumes.get(1).driver());
  }

  @Test
  void marathonRulesAreEnforcedNamingTheField() {
    String volume = """
        {"containerPath": "/data", "external": {"name": "v", "provider": "dvdi",
         "options": {"dvdi/driver": "rexray"}}}""";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"instances\": 2, \"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume + "]}}", "instances");
    cases.put("{\"instances\": 2, \"env\": {\"DVDI_VOLUME_NAME\": \"v\"}}", "instances");
    cases.put("{\"container\": {\"type\": \"DOCKER\", \"volumes\": [{\"containerPath\":"
        + " \"/data\", \"external\": {\"name\": \"v\", \"provider\": \"dvdi\", \"size\": 5,"
        + " \"options\": {\"dvdi/driver\": \"rexray\"}}}]}}", "container.volumes[0].external.size");
    cases.put("{\"container\": {\"volumes\": [{\"containerPath\": \"/data\", \"external\":"
        + " {\"name\": \"v\", \"provider\": \"dvdi\", \"options\": {\"dvdi/driver\": \"rexray\","
        + " \"dvdi/iops\": \"9\"}}}]}}", "container.volumes[0].external.options");
    cases.put("{\"upgradeStrategy\": {\"maximumOverCapacity\": 0}, \"container\": {\"type\":"
        + " \"MESOS\", \"volumes\": [" + volume + "]}}",
        "upgradeStrategy.minimumHealthCapacity");
    cases.put("{\"upgradeStrategy\": {\"minimumHealthCapacity\": 0.5}, \"container\": {\"type\":"
        + " \"MESOS\", \"volumes\": [" + volume + "]}}", "upgradeStrategy.maximumOverCapacity");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": [" + volume + ", "
        + volume.replace("/data", "/other") + "]}}", "container.volumes[1].external.name");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("/data", "data") + "]}}", "container.volumes[0].containerPath");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("\"v\"", "\"V_1\"") + "]}}", "container.volumes[0].external.name");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("\"/data\",", "\"/data\", \"mode\": \"RO\",") + "]}}",
        "container.volumes[0].mode");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("rexray\"}", "rexray\", \"dvdi/iops\": \"-3\"}") + "]}}",
        "container.volumes[0].external.options[\"dvdi/iops\"]");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("rexray\"}", "rexray\", \"dvdi/overwritefs\": \"maybe\"}") + "]}}",
        "container.volumes[0].external.options[\"dvdi/overwritefs\"]");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("\"dvdi\"", "\"pxd\"") + "]}}",
        "container.volumes[0].external.provider");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("\"dvdi/driver\": \"rexray\"", "\"dvdi/volumetype\": \"io1\"") + "]}}",
        "container.volumes[0].external.options[\"dvdi/driver\"]");
    cases.put("{\"container\": {\"type\": \"MESOS\", \"volumes\": ["
        + volume.replace("rexray\"}", "rexray\", \"dvdi/volumetype\": \"a,b\"}") + "]}}",
        "container.volumes[0].external.options[\"dvdi/volumetype\"]");
    cases.put("{\"env\": {\"DVDI_VOLUME_NAME\": 7}}", "env.DVDI_VOLUME_NAME");
    cases.put("[1, 2]", "Marathon app");
    cases.put("{\"env\": {\"A\": 1, \"A\": 2}}", "Marathon app");
    cases.put("{\"id\": \"x\"} {}", "Marathon app");
    cases.forEach((json, field) -> assertEquals(field, refusedApp(json).field(), json));
  }

  @Test
  void anAppWithAnEleventhVolumeIsRefused() {
    StringBuilder app = new StringBuilder("{\"env\": {\"DVDI_VOLUME_NAME8\": \"e\"},"
        + " \"container\": {\"type\": \"MESOS\", \"volumes\": [");
    for (int i = 0; i < 2; i++) {
      app.append(i == 0 ? "" : ", ").append("{\"containerPath\": \"/d").append(i)
          .append("\", \"external\": {\"name\": \"v").append(i).append("\", \"provider\":"
              + " \"dvdi\", \"options\": {\"dvdi/driver\": \"rexray\"}}}");
    }
    app.append("]}}");
    InvalidArgumentException e = refusedApp(app.toString());
    assertEquals("container.volumes[1].external", e.field());
    assertTrue(e.getMessage().contains("at most 10 volumes"), e.getMessage());
    assertEquals(3, DvdiVolumes.fromMarathonApp(app.toString().replace("NAME8", "NAME7"))
        .size());
  }
}
