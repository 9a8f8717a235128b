package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A campaign of hostile command lines and environments against the real {@code stowage}
 * command in this JVM ({@link Main#run}), on the fake driver and a {@link SimulatedHost} in a
 * fresh root for every try. Each try is a session of a few command lines, most of them close
 * to real ones (every subcommand, flag and option, with hostile names, values, paths,
 * durations and settings), some plain noise. Every command must end within a minute with an
 * exit code of {@link ExitCodes}, saying something when it fails; no output may show a stack
 * trace, an untyped exception or a secret (settings, environment variables, URL passwords and
 * volume options that hold secrets are given in every try); nothing may be created outside the
 * root;
 * a volume is mounted only if a command asked for it and succeeded, and its data directory
 * then exists.
 *
 * <p>A few hundred tries in every build; the {@code reliability} profile runs 10,000
 * ({@link ReliabilityTries}). Paths the generators make say {@code @ROOT@} for the try's root.
 */
@AddLifecycleHook(ReliabilityTries.class)
class HostileCommandLineProperties {
  private static final String ROOT = "@ROOT@";
  /** The longest a command may take: far above any here, far below a hang. */
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final Path CWD = Path.of("").toAbsolutePath();
  /** Places the defaults would use: a try must never create them. */
  private static final List<Path> DEFAULTS = List.of(Path.of("/var/lib/stowage"),
      Path.of("/etc/stowage"), Path.of("/run/stowage"));
  /** What a try's root may hold: the configured places, the host and the given files. */
  private static final Set<String> ALLOWED = Set.of("fake", "host", "state", "mnt", "plugins",
      "run", "cfg", "alt", "alt2");

  private static Path base;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeContainer
  static void createBase() throws IOException {
    base = Files.createTempDirectory("stowage-hostile-cli");
  }

  @AfterContainer
  static void deleteBase() throws IOException {
    TestHost.deleteTree(base);
  }

  /**
   * A session: command lines run one after the other on one root, and the environment.
   *
   * @param commands the command lines, without the options that point at the root
   * @param environment the environment variables
   */
  record Session(List<List<String>> commands, Map<String, String> environment) {}

  // ---- properties ----

  @Property(tries = 200)
  void anyCommandLineEndsInATypedResultWithinItsRoot(@ForAll("sessions") Session session)
      throws IOException {
    run(session);
  }

  @Property(tries = 200)
  void anyEnvironmentEndsInATypedResultWithinItsRoot(
      @ForAll("environments") Map<String, String> environment,
      @ForAll("everydayCommands") List<List<String>> commands) throws IOException {
    run(new Session(commands, environment));
  }

  // ---- running and checking ----

  /** What a command did. */
  private record Outcome(int code, String out, String err, String log) {
    String all() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err + "\nlog:\n" + log;
    }
  }

  private void run(Session session) throws IOException {
    Path root = Files.createTempDirectory(base, "try");
    Secrets secrets = new Secrets();
    Files.createDirectories(root.resolve("cfg"));
    Files.writeString(root.resolve("cfg/ok.yml"), "stowage:\n  volume:\n    mount:\n"
        + "      preempt: true\nebs:\n  secretKey: " + secrets.file + "\n");
    Files.writeString(root.resolve("cfg/bad.yml"), "stowage: {{{\n  - " + secrets.file + "\n");
    Map<Path, Boolean> defaults = defaultsExist();
    List<String> cwd = TestHost.names(CWD);
    Set<Path> asked = new HashSet<>();
    try {
      Map<String, String> environment = new HashMap<>();
      session.environment().forEach((k, v) -> environment.put(k, secrets.fill(v, root)));
      environment.put("EBS_SECRETKEY", secrets.environment);
      for (List<String> command : session.commands()) {
        List<String> args = new ArrayList<>(base(root, secrets));
        command.forEach(a -> args.add(secrets.fill(a, root)));
        Outcome o = stowage(args, environment);
        String what = "stowage " + String.join(" ", command) + " with " + session.environment();
        Statistics.label("exit").collect(o.code());
        assertTrue(o.code() >= ExitCodes.OK && o.code() <= ExitCodes.CHECK_FAILED,
            () -> what + ": " + o.all());
        if (o.code() != ExitCodes.OK) {
          assertFalse((o.out() + o.err()).isBlank(), () -> what + " failed silently");
        }
        Outputs.assertClean(what, o.all(), secrets.all());
        int volume = command.indexOf("volume");
        if (o.code() == ExitCodes.OK && volume >= 0 && volume + 1 < command.size()
            && command.get(volume + 1).equals("mount") && !command.contains("-h")
            && !command.contains("--help")) {
          mountedPath(o.out()).ifPresent(path -> {
            assertTrue(Files.isDirectory(path), () -> what + " printed " + path
                + ", which is no directory");
            asked.add(path);
          });
        }
      }
      for (MountEntry m : new SimulatedHost(root.resolve("host")).mounts()) {
        assertTrue(m.mountPoint().startsWith(root), () -> "mounted outside the root: " + m);
        assertTrue(asked.stream().anyMatch(p -> p.startsWith(m.mountPoint())),
            () -> "mounted though no command asked: " + m + " (asked " + asked + ")");
      }
      assertEquals(List.of(), TestHost.mountsUnder(root), "no real mount on a simulated host");
      List<String> made = TestHost.names(root);
      assertTrue(ALLOWED.containsAll(made), () -> "created in the root: " + made);
      assertEquals(cwd, TestHost.names(CWD), "created in the working directory");
      assertEquals(defaults, defaultsExist(), "created a default directory");
      assertEquals(List.of(root.getFileName().toString()), TestHost.names(base),
          "created beside the root");
    } finally {
      TestHost.deleteTree(root);
    }
  }

  /** The options that point the command at the try's root, with secrets it must not show. */
  private static List<String> base(Path root, Secrets secrets) {
    return List.of("--set=stowage.storageDrivers=fake", "--set=fake.root=" + root.resolve("fake"),
        "--set=fake.devices=simulated", "--simulated-host=" + root.resolve("host"),
        "--set=stowage.state.directory=" + root.resolve("state"),
        "--set=stowage.volume.mount.root=" + root.resolve("mnt"),
        "--set=ebs.secretKey=" + secrets.setting,
        "--set=virtualbox.password=" + secrets.alias,
        "--set=virtualbox.endpoint=http://admin:" + secrets.url + "@127.0.0.1:9/");
  }

  /** Runs the command; what it logs on the process's standard error is kept too. */
  private static Outcome stowage(List<String> args, Map<String, String> environment) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] code = new int[1];
    String log = Outputs.standardErrorOf(() -> code[0] = assertTimeoutPreemptively(BOUND,
        () -> Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
            environment), () -> "no end of stowage " + args));
    return new Outcome(code[0], out.toString(), err.toString(), log);
  }

  /** The data directory a successful mount printed, as a path or in JSON. */
  private Optional<Path> mountedPath(String out) {
    String text = out.strip();
    try {
      if (text.startsWith("{")) {
        JsonNode node = json.readTree(text);
        return node.has("path") ? Optional.of(Path.of(node.get("path").asText()))
            : Optional.empty();
      }
      return text.startsWith("/") && !text.contains("\n")
          ? Optional.of(Path.of(text)) : Optional.empty();
    } catch (IOException | InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** Secrets of one try, each unlike anything else in the outputs. */
  private static final class Secrets {
    /** With a space and a comma, which must not cut it into a masked and a shown part. */
    final String setting = secret("setting") + " " + secret("part") + "," + secret("part");
    /** Also given as the value of other keys (@SECRET@), where it must not show either. */
    final String alias = secret("alias");
    final String environment = secret("env");
    final String url = secret("url");
    final String option = secret("opt");
    final String file = secret("file");

    private static String secret(String kind) {
      return "Sx" + kind + Long.toHexString(Double.doubleToLongBits(Math.random()));
    }

    List<String> all() {
      return List.of(setting, alias, environment, url, option, file);
    }

    String fill(String arg, Path root) {
      return arg.replace(ROOT, root.toString()).replace("@SECRET@", alias)
          .replace("@OPTSECRET@", option).replace("@URLSECRET@", url);
    }
  }

  private static Map<Path, Boolean> defaultsExist() {
    Map<Path, Boolean> exist = new LinkedHashMap<>();
    DEFAULTS.forEach(p -> exist.put(p, Files.exists(p)));
    return exist;
  }



  // ---- command lines ----

  @Provide
  Arbitrary<Session> sessions() {
    return Combinators.combine(commandLine().list().ofMinSize(1).ofMaxSize(4),
        environment(0, 3)).as(Session::new);
  }

  @Provide
  Arbitrary<Map<String, String>> environments() {
    return environment(1, 8);
  }

  /** The everyday commands, in order, for the environment campaign. */
  @Provide
  Arbitrary<List<List<String>>> everydayCommands() {
    return Arbitraries.of(List.of("config", "show"), List.of("config", "check"),
        List.of("volume", "ls"), List.of("volume", "create", "v1", "--opt", "size=1"),
        List.of("volume", "mount", "v1", "--caller", "c"), List.of("volume", "path", "v1"),
        List.of("volume", "unmount", "v1", "--caller", "c"), List.of("driver", "ls"),
        List.of("doctor"), List.of("-o", "json", "volume", "inspect", "v1"))
        .list().ofMinSize(1).ofMaxSize(5);
  }

  private Arbitrary<List<String>> commandLine() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, volumeCommand()),
        Tuple.of(3, snapshotCommand()),
        Tuple.of(3, otherCommand()),
        Tuple.of(2, serviceCommand()),
        Tuple.of(1, token().list().ofMinSize(0).ofMaxSize(5)))
        .flatMap(command -> globalOptions().map(global -> {
          List<String> all = new ArrayList<>(global);
          all.addAll(command);
          return all;
        }));
  }

  private Arbitrary<List<String>> globalOptions() {
    Arbitrary<List<String>> option = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(List.of("-o", "json"), List.of("-o", "table"),
            List.of("--output=JSON"))),
        Tuple.of(1, Arbitraries.of(List.of("-o", "xml"), List.of("-o"), List.of("--output="))),
        Tuple.of(5, setting().map(kv -> List.of("--set", kv))),
        Tuple.of(1, Arbitraries.of("fake", "rexray", "nope", "", "../x", "FAKE")
            .map(n -> List.of("--service", n))),
        Tuple.of(1, Arbitraries.of("--set", "--set=", "--set==", "--set= =x")
            .map(List::of)),
        Tuple.of(2, Arbitraries.of(ROOT + "/cfg/ok.yml", ROOT + "/cfg/bad.yml",
            ROOT + "/cfg/missing.yml", ROOT + "/cfg", "/dev/null", "/dev/zero", "", "rel.yml",
            "\u0000").map(f -> List.of("--config", f))),
        Tuple.of(1, Arbitraries.of("-h", "--help", "-V", "--version", "--", "-", "-x",
            "--simulated-host=" + ROOT + "/host").map(List::of)));
    return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<List<String>>of())),
        Tuple.of(2, option.list().ofMinSize(1).ofMaxSize(2)))
        .map(lists -> lists.stream().flatMap(List::stream).toList());
  }

  private Arbitrary<List<String>> volumeCommand() {
    Arbitrary<String> sub = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("mount", "unmount", "create")),
        Tuple.of(8, Arbitraries.of("ls", "inspect", "rm", "attach", "detach", "path",
            "resize")),
        Tuple.of(1, Arbitraries.of("list", "remove", "umount", "Mount", "frob", "")));
    Arbitrary<List<String>> names = Arbitraries.frequencyOf(
        Tuple.of(17, name().map(List::of)), Tuple.of(2, Arbitraries.just(List.<String>of())),
        Tuple.of(1, name().list().ofSize(2)));
    // resize takes a size after the name.
    Arbitrary<List<String>> sized = Combinators.combine(name(), size()).as(List::of);
    return sub.flatMap(s -> Combinators.combine(s.equals("resize") ? sized : names,
        flag(s).list().ofMaxSize(3),
        Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 9))
        .as((n, flags, where, twice) -> {
          List<String> line = new ArrayList<>(List.of("volume", s));
          // A flag given twice is refused; let that happen now and then, not most of the time.
          Map<String, List<String>> once = new LinkedHashMap<>();
          flags.forEach(f -> once.merge(f.get(0) + (f.get(0).contains("opt") ? once.size() : ""),
              f, (a, b) -> twice == 0 ? concat(a, b) : a));
          List<String> flat = once.values().stream().flatMap(List::stream).toList();
          // Flags usually follow the name, sometimes come first.
          if (where == 0) {
            line.addAll(flat);
            line.addAll(n);
          } else {
            line.addAll(n);
            line.addAll(flat);
          }
          return line;
        }));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** {@code snapshot ls|inspect|create|rm|copy}, mostly of the session's own volumes. */
  private Arbitrary<List<String>> snapshotCommand() {
    Arbitrary<List<String>> createFlag = Arbitraries.frequencyOf(
        Tuple.of(3, snapshot().map(n -> List.of("--name", n))),
        Tuple.of(2, Arbitraries.of("k=v", "k=", "=v", "novalue", "k=" + "v".repeat(300), "a=b=c")
            .map(t -> List.of("--tag", t))),
        Tuple.of(1, Arbitraries.just(List.of("--wait"))),
        Tuple.of(1, duration().map(d -> List.of("--timeout", d))));
    Arbitrary<String> region = Arbitraries.of("r1", "r2", "", " ", "../x", "\u0000",
        "x".repeat(300));
    return Arbitraries.frequencyOf(
        Tuple.of(4, Combinators.combine(name(), createFlag.list().ofMaxSize(3)).as((v, flags) ->
            concat(List.of("snapshot", "create", v), flags.stream().flatMap(List::stream)
                .toList()))),
        Tuple.of(2, Arbitraries.of(List.of("snapshot", "ls"), List.of("snapshot", "list"))),
        Tuple.of(2, snapshot().map(n -> List.of("snapshot", "inspect", n))),
        Tuple.of(2, snapshot().map(n -> List.of("snapshot", "rm", n))),
        Tuple.of(1, Combinators.combine(snapshot(), region).as((n, r) ->
            List.of("snapshot", "copy", n, "--region", r))),
        Tuple.of(1, Arbitraries.of(List.of("snapshot"), List.of("snapshot", "frob"),
            List.of("snapshot", "copy", "s1"), List.of("snapshot", "create"),
            List.of("snapshot", "rm"))));
  }

  private Arbitrary<String> snapshot() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("s1", "s2")),
        Tuple.of(3, Arbitraries.of("", " ", "-", "..", "a/b", "x".repeat(300), "\u0000",
            "name:s1", "id:s1", "snap-0123456789abcdef", "v1", "S1", "s1\n")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
  }

  private Arbitrary<String> size() {
    return Arbitraries.of("1", "2", "3", "2GiB", "1536MiB", "512MiB", "0", "-1", "1e9", "x", "",
        "99999999999999999999", "99999TiB", "1.5", "2 GiB", "1GB");
  }

  private Arbitrary<List<String>> otherCommand() {
    return Arbitraries.of(List.of("config", "show"), List.of("config", "check"),
        List.of("config"), List.of("config", "edit"), List.of("driver", "ls"),
        List.of("driver", "list", "extra"), List.of("doctor"), List.of("doctor", "--fix"),
        List.of("version"), List.of("version", "--json"), List.of(), List.of("help"));
  }

  /**
   * {@code service stop|status} with the run directory in the root or invalid (never the
   * default: a real service there is not this test's to stop), and {@code service start} with
   * a flag that must refuse it before anything starts.
   */
  private Arbitrary<List<String>> serviceCommand() {
    Arbitrary<String> runDir = Arbitraries.of(ROOT + "/run", "rel", "", "./run");
    Arbitrary<String> socketDir = Arbitraries.of(ROOT + "/plugins", "/run/docker/plugins",
        "rel", "");
    Arbitrary<String> name = Arbitraries.of("stowage", "rexray", "", "../x", "a/b",
        "n".repeat(70), "-", "ok.1");
    Arbitrary<List<String>> readOnly = Combinators.combine(Arbitraries.of("stop", "status"),
        runDir, socketDir, name, duration())
        .as((cmd, run, sock, n, timeout) -> {
          List<String> line = new ArrayList<>(List.of("service", cmd, "--run-dir", run,
              "--socket-dir", sock, "--name", n));
          if (cmd.equals("stop")) {
            line.addAll(List.of("--timeout", timeout));
          }
          return line;
        });
    Arbitrary<List<String>> refusedStart = Arbitraries.of(
        List.of("--start-timeout", "soon"), List.of("--start-timeout", "0s"),
        List.of("--start-timeout", "-1s"), List.of("--run-dir", "rel"),
        List.of("--socket-dir", "rel"), List.of("--name", "../x"), List.of("--name", ""))
        .map(bad -> {
          Map<String, String> flags = new LinkedHashMap<>(Map.of("--run-dir", ROOT + "/run",
              "--socket-dir", ROOT + "/plugins", "--name", "t"));
          flags.put(bad.get(0), bad.get(1));
          List<String> line = new ArrayList<>(List.of("service", "start"));
          flags.forEach((k, v) -> line.addAll(List.of(k, v)));
          return line;
        });
    return Arbitraries.frequencyOf(Tuple.of(3, readOnly), Tuple.of(1, refusedStart));
  }

  /** A flag of a volume subcommand: mostly one it takes, sometimes any. */
  private Arbitrary<List<String>> flag(String sub) {
    Arbitrary<List<String>> opt = option().map(o -> List.of("--opt", o));
    Arbitrary<List<String>> volumeopts = option().list().ofMinSize(1).ofMaxSize(3)
        .map(o -> List.of("--volumeopts", String.join(",", o)));
    Arbitrary<List<String>> callerFlag = caller().map(c -> List.of("--caller", c));
    Arbitrary<List<String>> timeout = duration().map(d -> List.of("--timeout", d));
    Arbitrary<List<String>> force = Arbitraries.just(List.of("--force"));
    Arbitrary<List<String>> preempt = Arbitraries.of("--preempt", "--no-preempt")
        .map(List::of);
    Arbitrary<List<String>> mode = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of("--read-only", "--no-read-only").map(List::of)),
        Tuple.of(3, Arbitraries.of("noatime", "nodev", "nosuid", "ro", "rw", "exec", "bind", "",
            "x=y", "nosuid,noexec", "remount", "errors=panic", "noatime\u0000")
            .map(o -> List.of("--mount-option", o))));
    Arbitrary<List<String>> driver = Arbitraries.of("fake", "FAKE", "nope", "", "../fake")
        .map(d -> List.of("--driver", d));
    Arbitrary<List<String>> odd = Arbitraries.of("--bogus", "--opt", "--caller", "--timeout",
        "--force=maybe", "--caller=", "-", "--", "--opt=size=1", "--preempt=false",
        "--help").map(List::of);
    List<Arbitrary<List<String>>> takes = switch (sub) {
      case "create" -> List.of(opt, volumeopts, snapshot().map(n -> List.of("--snapshot", n)));
      case "mount" -> List.of(opt, volumeopts, callerFlag, callerFlag, timeout, preempt,
          mode);
      case "unmount" -> List.of(callerFlag, callerFlag, force);
      case "rm", "detach" -> List.of(force);
      case "attach" -> List.of(preempt);
      default -> List.of(driver);
    };
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.oneOf(takes)),
        Tuple.of(1, driver), Tuple.of(1, Arbitraries.oneOf(opt, callerFlag, timeout, force)),
        Tuple.of(1, odd));
  }

  private Arbitrary<String> name() {
    return Arbitraries.frequencyOf(
        Tuple.of(24, Arbitraries.of("v1", "v2")),
        Tuple.of(3, Arbitraries.of("name:v1", "id:fake-0000000000000000", "V1", "v1 ", " v1",
            "name:", "id:", "name:v2")),
        Tuple.of(4, Arbitraries.of("", " ", "-", "--", "-v", "..", ".", "a/b", "../x", "/abs",
            "x".repeat(300), "ü-vol", "\u0000", "v\n1", "$(touch pwned)", "`id`", "*", "a;b",
            "%n", "fake-0123456789abcdef", "\t", "v1\u0000", "\u202Ev1", "data")),
        Tuple.of(2, Arbitraries.strings().ofMaxLength(16)));
  }

  private Arbitrary<String> option() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("size=1", "size=2", "iops=100", "volumetype=io1",
            "newfstype=ext4", "overwritefs=true", "availabilityzone=z1", "encrypted=true",
            "encryptionkey=@OPTSECRET@")),
        Tuple.of(4, Arbitraries.of("size=0", "size=-1", "size=1e100", "size=", "=1", "size",
            "iops=x", "newfstype=xfs", "newfstype=btrfs", "newfstype=../x", "overwritefs=maybe",
            "sise=1", "SIZE=1", "size=99999999999999999999", "size=1,iops", "encrypted=yes",
            "encryptionkey=", "fstype=ext4", "x".repeat(500) + "=1")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
  }

  private Arbitrary<String> caller() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("a", "b", "task-1")),
        Tuple.of(2, Arbitraries.of("", " ", "-", "a/b", "..", "x".repeat(1000), "\u0000", "\n")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
  }

  private Arbitrary<String> duration() {
    return Arbitraries.of("30s", "5s", "500ms", "1m", "PT10S", "10", "0", "0s", "-1s", "PT-1S",
        "1e3", "abc", "", "99999999999999999999s", "1h", "1.5s", "s", "30 s");
  }

  /** A {@code key=value} for {@code --set}. */
  private Arbitrary<String> setting() {
    Arbitrary<String> key = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of("stowage.volume.mount.preempt",
            "stowage.volume.create.default.size", "stowage.volume.create.disable",
            "stowage.volume.remove.disable", "stowage.volume.remove.force",
            "stowage.volume.create.implicit", "stowage.volume.unmount.ignoreUsedCount",
            "stowage.volume.mount.dataDir", "stowage.volume.mount.dataDirMode",
            "stowage.device.attachTimeout", "stowage.volume.mount.root", "stowage.state.directory",
            "fake.root", "fake.devices", "fake.failOn", "fake.instanceId", "fake.throttleEvery",
            "rexray.logLevel", "docker.size", "stowage.storageDrivers",
            "stowage.volume.create.default.type", "linux.volume.rootpath")),
        Tuple.of(2, Arbitraries.of("", " ", "stowage", "x.y", "FAKE__", "k".repeat(300),
            "ebs.secretKey", "virtualbox.password", "stowage.volume", "fake.bogus",
            "Stowage.Volume.Mount.Preempt")));
    Arbitrary<String> value = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of("true", "false", "1", "0", "16", "1GiB", "fake",
            ROOT + "/alt", ROOT + "/alt/../alt2", "attach:1", "create:1", "detach:1",
            "mount:1", "remove:1", "format:1", "i-a", "i-b", "0700", "1s", "100ms", "data")),
        Tuple.of(4, Arbitraries.of("yes", "-1", "abc", "", "  ", "rel", "/", "FAKE",
            "fake,fake", "nope", "777", "../data", "data/../..", "-1s", "x".repeat(2000),
            "\u0000", "é", "loop", "attach:x", "{a: 1}", "[fake]")));
    // A secret given where a value is checked: the message refusing it must mask it. (Where
    // it is taken, as a data directory or an instance ID, it is no longer a secret.)
    Arbitrary<String> checked = Arbitraries.of("stowage.volume.mount.preempt",
        "stowage.volume.create.default.size", "stowage.device.attachTimeout",
        "stowage.volume.mount.dataDirMode", "stowage.volume.mount.root",
        "stowage.state.directory", "stowage.storageDrivers", "fake.root", "fake.devices",
        "fake.failOn", "docker.size", "virtualbox.endpoint", "ebs.endpoint");
    Arbitrary<String> secret = Arbitraries.of("@SECRET@", "http://u:@URLSECRET@@127.0.0.1:9");
    return Arbitraries.frequencyOf(
        Tuple.of(12, Combinators.combine(key, value).as((k, v) -> k + "=" + v)),
        Tuple.of(1, Combinators.combine(checked, secret).as((k, v) -> k + "=" + v)));
  }

  /** Any token of any command line. */
  private Arbitrary<String> token() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("volume", "mount", "ls", "config", "service", "doctor",
            "driver", "version", "--set", "-o", "json", "--opt", "--caller", "--force", "--",
            "-h", "help")),
        Tuple.of(2, name()),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(20)));
  }

  /** Environment variables the command reads, with hostile values. */
  private Arbitrary<Map<String, String>> environment(int min, int max) {
    Arbitrary<String> key = Arbitraries.of("STOWAGE_LOG_LEVEL", "REXRAY_LOGLEVEL",
        "STOWAGE_STATE_DIRECTORY", "STOWAGE_VOLUME_MOUNT_ROOT", "REXRAY_STORAGEDRIVERS",
        "STOWAGE_STORAGEDRIVERS", "FAKE_ROOT", "FAKE_FAILON", "FAKE_INSTANCEID",
        "VIRTUALBOX_PASSWORD", "EBS_ACCESSKEY", "PATH", "HOME", "LIBSTORAGE_DEVICE_ATTACHTIMEOUT",
        "STOWAGE_VOLUME_CREATE_DEFAULT_SIZE", "REXRAY_VOLUME_MOUNT_PREEMPT",
        "STOWAGE_VOLUME_MOUNT_DATADIR", "DOCKER_SIZE", "XDG_CACHE_HOME", "DVDCLI_PLUGIN_DIRS",
        "STOWAGE_BOGUS", "REXRAY_MODULES");
    Arbitrary<String> value = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of("debug", "info", "true", "false", "1", "16", "fake",
            ROOT + "/alt", "attach:1", "i-b", "data", "/usr/bin:/bin", "")),
        Tuple.of(3, Arbitraries.of("rel", "/", "-1", "abc", "\uFFFD", "x".repeat(5000), "é",
            "nope", "../..", ":", "\u0000", "{bad: yaml", "PT-1S")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
    // A secret where a value is checked, as in setting().
    Arbitrary<String> checked = Arbitraries.of("STOWAGE_STATE_DIRECTORY",
        "STOWAGE_VOLUME_MOUNT_ROOT", "REXRAY_STORAGEDRIVERS", "FAKE_ROOT", "FAKE_FAILON",
        "LIBSTORAGE_DEVICE_ATTACHTIMEOUT", "STOWAGE_VOLUME_CREATE_DEFAULT_SIZE",
        "REXRAY_VOLUME_MOUNT_PREEMPT", "DOCKER_SIZE", "VIRTUALBOX_ENDPOINT");
    Arbitrary<String> secret = Arbitraries.of("@SECRET@", "http://u:@URLSECRET@@127.0.0.1:9");
    Arbitrary<Tuple.Tuple2<String, String>> entry = Arbitraries.frequencyOf(
        Tuple.of(12, Combinators.combine(key, value).as(Tuple::of)),
        Tuple.of(1, Combinators.combine(checked, secret).as(Tuple::of)));
    return entry.list().ofMinSize(min).ofMaxSize(max).map(entries -> {
      Map<String, String> environment = new LinkedHashMap<>();
      entries.forEach(e -> environment.put(e.get1(), e.get2()));
      return environment;
    });
  }
}
