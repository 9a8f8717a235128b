package io.stowage.cli.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.cli.dvdcli.DvdCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dvdcli in-process against the plugin server on a real unix socket. */
class DvdCliTest {
  @TempDir
  Path dir;
  private InMemoryVolumeService volumes;
  private PluginServer server;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() {
    volumes = new InMemoryVolumeService(Path.of("/mnt"));
    server = PluginServer.builder(volumes).socket(dir.resolve("plugins/rexray.sock"))
        .idleTimeout(Duration.ofSeconds(2)).build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Result dvdcli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DvdCli.run(args, new PrintWriter(out), new PrintWriter(err),
        Map.of("DVDCLI_PLUGIN_DIRS", dir.resolve("plugins").toString()));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void mountCreatesWithRepeatedAndCommaSeparatedOptionsAndPrintsOnlyTheMountPoint() {
    Result mount = dvdcli("mount", "--volumedriver=rexray", "--volumename=v1",
        "--volumeopts=size=5", "--volumeopts=iops=150,volumetype=io1");
    assertEquals(0, mount.code(), mount.err());
    assertEquals("/mnt/v1/data\n", mount.out().replace(System.lineSeparator(), "\n"));
    assertTrue(mount.err().contains("Mounted volume v1"), mount.err());
    assertTrue(volumes.calls().contains("create v1 {iops=150, size=5GiB, volumetype=io1}"),
        volumes.calls().toString());

    assertEquals("/mnt/v1/data", dvdcli("path", "--volumename=v1").out().strip());
    assertEquals("v1", dvdcli("get", "--volumename=v1").out().strip());
    assertEquals("v1", dvdcli("list").out().strip());
    assertEquals(0, dvdcli("unmount", "--volumename=v1").code());
    Result after = dvdcli("path", "--volumename=v1");
    assertEquals(0, after.code(), after.err());
    assertEquals("", after.out());
    assertEquals(0, dvdcli("remove", "--volumename=v1").code());
    assertEquals("", dvdcli("list").out());
  }

  @Test
  void readOnlyAndMountOptionsPassThroughVolumeopts() {
    Result mount = dvdcli("mount", "--volumedriver=rexray", "--volumename=v3",
        "--volumeopts=readonly=true,mountoptions=noatime+nodev");
    assertEquals(0, mount.code(), mount.err());
    assertTrue(volumes.calls().contains("create v3 {mountoptions=noatime+nodev, ro=true}"),
        volumes.calls().toString());

    int calls = volumes.calls().size();
    Result bad = dvdcli("create", "--volumename=v4", "--volumeopts=mountoptions=exec+noexec");
    assertEquals(1, bad.code(), bad.err());
    assertTrue(bad.err().contains("contradicts exec"), bad.err());
    assertEquals(calls, volumes.calls().size(), volumes.calls().toString());
  }

  @Test
  void camelCaseAliasesAndGlobalFlagsBeforeTheCommand() {
    Result create = dvdcli("--volumeDriver", "rexray", "create", "--volumeName=v2",
        "--volumeOpts=size=1");
    assertEquals(0, create.code(), create.err());
    assertEquals("", create.out());
    assertTrue(volumes.calls().contains("create v2 {size=1GiB}"), volumes.calls().toString());
    Result mount = dvdcli("mount", "--volumeName=v2", "--explicitCreate=true");
    assertEquals(0, mount.code(), mount.err());
    assertEquals("/mnt/v2/data", mount.out().strip());
  }

  @Test
  void explicitCreateFailsForAMissingVolumeWithExit1AndNoOutput() {
    for (List<String> flag : List.of(List.of("--explicitcreate"),
        List.of("--explicitCreate=true"), List.of("--explicitcreate", "TRUE"))) {
      String[] args = concat(List.of("mount", "--volumename=nope"), flag);
      Result r = dvdcli(args);
      assertEquals(1, r.code(), r.err());
      assertEquals("", r.out());
      assertTrue(r.err().startsWith("Error: volume nope does not exist"), r.err());
    }
    assertEquals(0, dvdcli("mount", "--volumename=made", "--explicitcreate=false").code());
  }

  @Test
  void badFlagsAndCommandsExit2WithTheUsageOnStderr() {
    for (String[] args : new String[][] {
        {"mount", "--bogus"},
        {"frobnicate"},
        {"path", "--volumename=a", "extra"},
        {"path", "--volumename=a", "--volumeopts=size=1"},
        {"get", "--volumename=a", "--explicitcreate"},
        {"mount", "--volumename=a", "--explicitcreate=maybe"},
        {"path", "--volumename=a", "--volumename=b"},
        {"path", "--volumename"},
        {"path", "--volume=a"},
        {"mount"},
        {"mount", "--volumeopts=size=1"},
        {"path"},
        {"remove", "--volumename="},
        {"get", "--volumename", " "},
        {"--volumedriver=../x", "list"},
        {"--volumedriver=", "list"},
        {"create", "--volumename=v", "--volumeopts=novalue"},
        {"mount", "--volumename=v", "--volumeopts=size=1,=2"}}) {
      Result r = dvdcli(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals("", r.out(), String.join(" ", args));
      assertTrue(r.err().startsWith("Error: "), r.err());
      assertTrue(r.err().contains("usage: dvdcli"), r.err());
    }
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
  }

  @Test
  void aUsageErrorMasksTheSecretsOfTheCommandLine() {
    Result r = dvdcli("mount", "--volumename=v", "encryptionkey=Sx key,x");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("'encryptionkey=****'"), r.err());
    assertFalse(r.err().contains("Sx") || r.err().contains("key,x"), r.err());
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
  }

  @Test
  void lookupAndPluginErrorsExit1() {
    Result absent = dvdcli("--volumedriver=absent", "list");
    assertEquals(1, absent.code());
    assertTrue(absent.err().contains("\"absent\" not found"), absent.err());
    assertEquals(1, dvdcli("get", "--volumename=nope").code());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int relative = DvdCli.run(new String[] {"list"}, new PrintWriter(out), new PrintWriter(err),
        Map.of("DVDCLI_PLUGIN_DIRS", "plugins"));
    assertEquals(1, relative, err.toString());
    assertTrue(err.toString().contains("DVDCLI_PLUGIN_DIRS"), err.toString());
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
  }

  @Test
  void helpVersionAndNoCommand() {
    Result none = dvdcli();
    assertEquals(0, none.code());
    assertTrue(none.out().startsWith("usage: dvdcli"), none.out());
    assertTrue(none.out().contains("unmount"), none.out());
    assertEquals(none.out(), dvdcli("--help").out());
    assertTrue(dvdcli("version").out().startsWith("dvdcli (stowage) "));
    assertEquals(dvdcli("version").out(), dvdcli("-V").out());
  }

  private static String[] concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }
}
