package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.cli.Commands.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/stowage and bin/dvdcli on each Java runtime installed (this test's, and every JDK 17 or
 * later under /usr/lib/jvm): nothing on standard error but the command's own output, a
 * class-data archive made for the runtime on the first run and used on the next.
 */
class LauncherIT {
  private static final Path DIST = Path.of(System.getProperty("stowage.dist", "target/stowage"));
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  Path dir;

  /** The runtimes to run the launchers on, each a JDK home with its feature release. */
  record Jdk(Path home, int feature) {}

  /** This test's runtime and every JDK 17 or later under /usr/lib/jvm. */
  static List<Jdk> runtimes() throws IOException {
    Set<Path> homes = new LinkedHashSet<>();
    homes.add(Path.of(System.getProperty("java.home")).toRealPath());
    Path jvm = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvm)) {
      try (Stream<Path> dirs = Files.list(jvm)) {
        for (Path d : dirs.sorted().toList()) {
          if (Files.isExecutable(d.resolve("bin/java"))
              && Files.isRegularFile(d.resolve("release"))) {
            homes.add(d.toRealPath());
          }
        }
      }
    }
    List<Jdk> jdks = new ArrayList<>();
    for (Path home : homes) {
      int feature = feature(home);
      if (feature >= 17) {
        jdks.add(new Jdk(home, feature));
      }
    }
    return jdks;
  }

  private static int feature(Path home) throws IOException {
    if (!Files.isRegularFile(home.resolve("release"))) {
      return Runtime.version().feature();
    }
    for (String line : Files.readAllLines(home.resolve("release"))) {
      if (line.startsWith("JAVA_VERSION=")) {
        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
        return Integer.parseInt(v.split("[.+-]")[0]);
      }
    }
    return 0;
  }

  private Result run(String bin, List<String> args, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(DIST.resolve("bin").resolve(bin).toString());
    command.addAll(args);
    return Commands.run(command, env, TIMEOUT);
  }

  private static Map<String, String> env(Jdk jdk, Path cache, String javaOpts) {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", jdk.home().toString());
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("JAVA_OPTS", javaOpts);
    return env;
  }

  private static List<String> archives(Path cache) throws IOException {
    Path dir = cache.resolve("stowage");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> eachRuntimeRunsQuietlyAndUsesItsArchiveFromTheSecondRun()
      throws IOException {
    List<Jdk> jdks = runtimes();
    List<DynamicTest> tests = new ArrayList<>();
    for (Jdk jdk : jdks) {
      tests.add(DynamicTest.dynamicTest("Java " + jdk.feature() + " at " + jdk.home(),
          () -> quietWithArchive(jdk)));
    }
    if (jdks.stream().noneMatch(j -> j.feature() >= 25)) {
      tests.add(DynamicTest.dynamicTest("Java 25 or later", () -> Assumptions.assumeTrue(false,
          "no JDK 25 or later under /usr/lib/jvm")));
    }
    return tests.stream();
  }

  private void quietWithArchive(Jdk jdk) throws Exception {
    Path work = Files.createTempDirectory(dir, "java" + jdk.feature());
    Path cache = work.resolve("cache");
    List<String> global = TestHost.stowageOptions(work);
    List<String> ls = new ArrayList<>(global);
    ls.addAll(List.of("volume", "ls"));

    Result first = run("stowage", ls, env(jdk, cache, ""));
    assertEquals(0, first.code(), first.output());
    assertEquals("", first.err(), first.output());
    assertTrue(first.out().startsWith("NAME"), first.output());
    List<String> made = archives(cache);
    assertEquals(1, made.size(), made.toString());
    assertTrue(made.get(0).matches("stowage-" + jdk.feature() + "-[0-9]+\\.jsa"),
        made.toString());

    Result second = run("stowage", ls, env(jdk, cache, ""));
    assertEquals(first.out(), second.out());
    assertEquals("", second.err(), second.output());
    Result traced = run("stowage", ls, env(jdk, cache, "-Xlog:class+load=info:stdout"));
    assertTrue(traced.out().contains("io.stowage.cli.Main source: shared objects file"),
        "Main comes from the archive:\n" + traced.out().lines().filter(l -> l.contains("Main"))
            .toList());
    assertEquals(made, archives(cache), "the second run made no other archive");

    // The service starts a JVM of its own (VFORK is what Java 25 would warn about).
    List<String> service = List.of("--name", "p", "--socket-dir",
        work.resolve("plugins").toString(), "--run-dir", work.resolve("run").toString());
    List<String> start = new ArrayList<>(global);
    start.addAll(List.of("service", "start"));
    start.addAll(service);
    Result started = run("stowage", start, env(jdk, cache, ""));
    List<String> stop = new ArrayList<>(global);
    stop.addAll(List.of("service", "stop"));
    stop.addAll(service);
    Result stopped = run("stowage", stop, env(jdk, cache, ""));
    assertEquals(0, started.code(), started.output());
    assertEquals("", started.err(), started.output());
    assertEquals(0, stopped.code(), stopped.output());
    assertEquals("", stopped.err(), stopped.output());
    String log = Files.readString(work.resolve("run/p.log"));
    assertFalse(log.contains("VFORK") || log.contains("[cds]"), log);

    Map<String, String> dvdcli = env(jdk, cache, "");
    Result version = run("dvdcli", List.of("version"), dvdcli);
    assertEquals(0, version.code(), version.output());
    assertEquals("", version.err(), version.output());
    Result again = run("dvdcli", List.of("version"),
        env(jdk, cache, "-Xlog:class+load=info:stdout"));
    assertTrue(again.out().contains("io.stowage.cli.dvdcli.DvdCli source: shared objects file"),
        again.output());
    assertEquals(2, archives(cache).size(), archives(cache).toString());
  }

  @Test
  void concurrentFirstRunsAllSucceedAndLeaveOneWholeArchive() throws Exception {
    Jdk jdk = runtimes().get(0);
    Path cache = dir.resolve("cache");
    List<CompletableFuture<Result>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          return run("stowage", List.of("version"), env(jdk, cache, ""));
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Result> r : runs) {
      Result result = r.join();
      assertEquals(0, result.code(), result.output());
      assertEquals("", result.err(), result.output());
      assertTrue(result.out().startsWith("stowage "), result.output());
    }
    List<String> made = archives(cache);
    assertEquals(1, made.size(), "one archive, no temporary file left: " + made);
    Result traced = run("stowage", List.of("version"),
        env(jdk, cache, "-Xlog:class+load=info:stdout"));
    assertTrue(traced.out().contains("io.stowage.cli.Main source: shared objects file"),
        traced.output());
  }

  @Test
  void aCacheDirectoryThatCannotBeUsedMeansNoArchiveAndNoMessage() throws Exception {
    Jdk jdk = runtimes().get(0);
    // HOME is a file: nothing can be created under it, not even by root.
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", jdk.home().toString(),
        "HOME", file.toString(), "JAVA_OPTS", ""));
    env.put("XDG_CACHE_HOME", "");
    Result noHome = run("stowage", List.of("version"), env);
    assertEquals(0, noHome.code(), noHome.output());
    assertEquals("", noHome.err(), noHome.output());
    assertTrue(noHome.out().startsWith("stowage "), noHome.output());

    // A directory of another user's is neither used nor written into.
    TestHost.require(TestHost.root(), "root, to give a directory to another user");
    Path foreign = Files.createDirectories(dir.resolve("foreign/stowage"));
    UserPrincipal nobody = foreign.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody");
    Files.setOwner(foreign, nobody);
    Result other = run("stowage", List.of("version"),
        env(jdk, dir.resolve("foreign"), ""));
    assertEquals(0, other.code(), other.output());
    assertEquals("", other.err(), other.output());
    assertEquals(List.of(), archives(dir.resolve("foreign")));
  }
}
