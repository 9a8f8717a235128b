package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.stowage.config.StowageConfig;
import io.stowage.config.VolumeSettings;

import io.stowage.exception.ConfigurationException;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.yaml.snakeyaml.Yaml;

/**
 * Any legal settings tree, in any spelling and key casing, loads to the expected typed values;
 * any tree with an illegal key or value is rejected naming that key.
 */
class ConfigMappingProperties {

  /** A value as YAML gets it, and what the typed model must hold. */
  record Sample(Object yaml, Object expected) {}

  /** One setting: its spellings by rank, legal and illegal values, and its typed getter. */
  record Spec(Setting<?> setting, Arbitrary<Sample> legal, List<Object> illegal,
      Function<StowageConfig, Object> getter) {}

  /** A getter of one of the global volume settings. */
  static Function<StowageConfig, Object> volume(Function<VolumeSettings, Object> getter) {
    return config -> getter.apply(config.volumeSettings());
  }

  /** A setting given by some spellings, each with a value. */
  record Given(Spec spec, Map<String, Sample> byKey) {
    Object expected() {
      int best = -1;
      Object expected = null;
      for (Map.Entry<String, Sample> e : byKey.entrySet()) {
        int rank = spec.setting().spellings().get(e.getKey());
        if (rank > best) {
          best = rank;
          expected = e.getValue().expected();
        }
      }
      return expected;
    }
  }

  private static final Arbitrary<String> LABEL =
      Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);

  private static Arbitrary<Sample> bools() {
    return Arbitraries.of(
        new Sample("true", true), new Sample("false", false), new Sample("yes", true),
        new Sample("No", false), new Sample("on", true), new Sample("OFF", false),
        new Sample("1", true), new Sample("0", false), new Sample("T", true),
        new Sample(true, true), new Sample(false, false));
  }

  private static final List<Object> BAD_BOOLS = List.of("maybe", "2", List.of("true"));

  static List<Spec> specs() {
    return List.of(
        new Spec(Schema.STORAGE_DRIVERS,
            Arbitraries.of("fake", "virtualbox", "ebs").list().ofMinSize(1).ofMaxSize(3)
                .uniqueElements().map(l -> new Sample(l, l)),
            List.of("Bad!Name", List.of("ok", "no/slash")), StowageConfig::storageDrivers),
        new Spec(Schema.PREEMPT, bools(), BAD_BOOLS, volume(VolumeSettings::preempt)),
        new Spec(Schema.IGNORE_USED_COUNT, bools(), BAD_BOOLS,
            volume(VolumeSettings::ignoreUsedCount)),
        new Spec(Schema.IMPLICIT_CREATE, bools(), BAD_BOOLS,
            volume(VolumeSettings::implicitCreate)),
        new Spec(Schema.CREATE_DISABLE, bools(), BAD_BOOLS, volume(VolumeSettings::createDisabled)),
        new Spec(Schema.REMOVE_DISABLE, bools(), BAD_BOOLS, volume(VolumeSettings::removeDisabled)),
        new Spec(Schema.REMOVE_FORCE, bools(), BAD_BOOLS, volume(VolumeSettings::removeForce)),
        // Mount roots under /m and state directories under /s never cover one another.
        new Spec(Schema.MOUNT_ROOT, LABEL.list().ofMinSize(1).ofMaxSize(3)
            .map(l -> "/m/" + String.join("/", l)).map(p -> new Sample(p, Path.of(p))),
            List.of("relative/dir", "", List.of("/a"), "/", "//", "/.."),
            volume(VolumeSettings::mountRoot)),
        new Spec(Schema.DATA_DIR, Combinators.combine(Arbitraries.of("", "/", "//"), LABEL)
            .as((slash, name) -> new Sample(slash + name, name)),
            List.of("..", "/", "/../etc", "a/../..", ""), volume(VolumeSettings::dataDir)),
        new Spec(Schema.DATA_DIR_MODE, Arbitraries.integers().between(0, 0777)
            .flatMap(m -> Arbitraries.of(
                new Sample(String.format(Locale.ROOT, "0%o", m), m),
                new Sample(m, m), new Sample(Integer.toString(m), m))),
            List.of("0999", "1000", "rwx", 4096), volume(VolumeSettings::dataDirMode)),
        new Spec(Schema.SIZE, Arbitraries.integers().between(1, 4096)
            .flatMap(n -> Arbitraries.of(new Sample(n, ByteSize.ofGiB(n)),
                new Sample(n + "GiB", ByteSize.ofGiB(n)), new Sample(n + "M", ByteSize.ofMiB(n)))),
            List.of("-5", "0", "lots", "99999TiB"),
            volume(v -> v.createDefaults().size().orElseThrow())),
        new Spec(Schema.FS_TYPE, Arbitraries.of(FsType.KNOWN).flatMap(t -> Arbitraries.of(
                new Sample(t, FsType.of(t)), new Sample(t.toUpperCase(Locale.ROOT), FsType.of(t)))),
            List.of("zfs", "ntfs", ""), volume(v -> v.createDefaults().newFsType().orElseThrow())),
        new Spec(Schema.VOLUME_TYPE, LABEL.map(t -> new Sample(t, Optional.of(t))),
            List.of("has space", "-lead", "a/b"), volume(v -> v.createDefaults().volumeType())),
        new Spec(Schema.IOPS, Arbitraries.longs().between(1, 256_000)
            .map(n -> new Sample(n, Optional.of(n))),
            List.of("0", "-3", "lots", "256001"), volume(v -> v.createDefaults().iops())),
        new Spec(Schema.AVAILABILITY_ZONE, LABEL.map(t -> new Sample(t, Optional.of(t))),
            List.of("us east", "*"), volume(v -> v.createDefaults().availabilityZone())),
        new Spec(Schema.ATTACH_TIMEOUT, Arbitraries.integers().between(1, 3600)
            .flatMap(n -> Arbitraries.of(new Sample(n + "s", Duration.ofSeconds(n)),
                new Sample(n, Duration.ofSeconds(n)), new Sample(n + "m", Duration.ofMinutes(n)),
                new Sample(n + "ms", Duration.ofMillis(n)))),
            List.of("soon", "0s", "-3s", "10 parsecs"), volume(VolumeSettings::attachTimeout)),
        new Spec(Schema.STATE_DIRECTORY, LABEL.map(l -> new Sample("/s/" + l, Path.of("/s/" + l))),
            List.of("state", "", "/"), StowageConfig::stateDirectory));
  }

  private static Arbitrary<Given> given(Spec spec) {
    List<String> keys = new ArrayList<>(spec.setting().spellings().keySet());
    return Arbitraries.subsetOf(keys).ofMinSize(1).flatMap(chosen -> {
      List<String> ordered = keys.stream().filter(chosen::contains).toList();
      return spec.legal().list().ofSize(ordered.size()).map(samples -> {
        Map<String, Sample> byKey = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
          byKey.put(ordered.get(i), samples.get(i));
        }
        return new Given(spec, byKey);
      });
    });
  }

  @Provide
  Arbitrary<Tuple2<List<Given>, Long>> trees() {
    List<Arbitrary<Optional<Given>>> each = new ArrayList<>();
    for (Spec spec : specs()) {
      each.add(given(spec).optional(0.6));
    }
    return Combinators.combine(Combinators.combine(each).as(list ->
        list.stream().flatMap(Optional::stream).toList()), Arbitraries.longs())
        .as(Tuple::of);
  }

  /** Builds the YAML tree; one random casing per key path, so no key appears twice. */
  private static Map<String, Object> tree(List<Given> givens, Random random,
      Map<String, String> casing) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Given g : givens) {
      g.byKey().forEach((key, sample) -> put(root, key, sample.yaml(), random, casing));
    }
    return root;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String dottedKey, Object value,
      Random random, Map<String, String> casing) {
    String[] segments = dottedKey.split("\\.");
    Map<String, Object> node = root;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      path.append('.').append(segments[i].toLowerCase(Locale.ROOT));
      String cased = casing.computeIfAbsent(path.toString(),
          p -> recase(p.substring(p.lastIndexOf('.') + 1), random));
      if (i == segments.length - 1) {
        node.put(cased, value);
      } else {
        node = (Map<String, Object>) node.computeIfAbsent(cased, k -> new LinkedHashMap<>());
      }
    }
  }

  private static String recase(String lower, Random random) {
    StringBuilder out = new StringBuilder();
    for (char c : lower.toCharArray()) {
      out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  private static StowageConfig load(Map<String, Object> tree) {
    return ConfigLoader.builder().yaml("generated.yml", new Yaml().dump(tree)).load();
  }

  @Property(tries = 300)
  void legalTreesLoadToTheirTypedValues(@ForAll("trees") Tuple2<List<Given>, Long> generated) {
    List<Given> givens = generated.get1();
    StowageConfig config = load(tree(givens, new Random(generated.get2()), new LinkedHashMap<>()));
    for (Given g : givens) {
      assertEquals(g.expected(), g.spec().getter().apply(config), g.toString());
    }
    assertEquals(List.of(), config.warnings());
  }

  @Property(tries = 200)
  void anUnknownKeyIsRejectedByName(@ForAll("trees") Tuple2<List<Given>, Long> generated,
      @ForAll("parents") String parent,
      @ForAll("unknownNames") String unknown) {
    Random random = new Random(generated.get2());
    Map<String, String> casing = new LinkedHashMap<>();
    Map<String, Object> tree = tree(generated.get1(), random, casing);
    String key = parent.isEmpty() ? unknown : parent + "." + unknown;
    put(tree, key, "1", random, casing);
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(tree));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).toLowerCase(Locale.ROOT).contains("unknown key " + key),
        e.getMessage());
  }

  @Provide
  Arbitrary<String> parents() {
    return Arbitraries.of("", "stowage", "stowage.volume", "stowage.volume.mount", "rexray",
        "rexray.volume.create", "libstorage", "libstorage.integration.volume.operations",
        "libstorage.integration.volume.operations.create.default", "docker", "linux.volume");
  }

  @Provide
  Arbitrary<String> unknownNames() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10)
        .map(s -> "zq" + s);
  }

  @Provide
  Arbitrary<Tuple2<Tuple2<List<Given>, Long>, Tuple2<String, Object>>> badValues() {
    Arbitrary<Tuple2<String, Object>> bad = Arbitraries.of(specs()).flatMap(spec ->
        Combinators.combine(Arbitraries.of(List.copyOf(spec.setting().spellings().keySet())),
            Arbitraries.of(spec.illegal())).as(Tuple::of));
    return Combinators.combine(trees(), bad).as(Tuple::of);
  }

  @Property(tries = 300)
  void anIllegalValueIsRejectedByKey(
      @ForAll("badValues") Tuple2<Tuple2<List<Given>, Long>, Tuple2<String, Object>> generated) {
    List<Given> givens = generated.get1().get1();
    String key = generated.get2().get1();
    Random random = new Random(generated.get1().get2());
    Map<String, String> casing = new LinkedHashMap<>();
    Map<String, Object> tree = tree(givens, random, casing);
    put(tree, key, generated.get2().get2(), random, casing);
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(tree));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).toLowerCase(Locale.ROOT)
        .contains(key.toLowerCase(Locale.ROOT)), e.getMessage());
  }

  @Property(tries = 200)
  void environmentVariablesOverrideTheFile(@ForAll("trees") Tuple2<List<Given>, Long> generated,
      @ForAll("preemptVariables") String variable, @ForAll boolean preempt) {
    Map<String, Object> tree = tree(generated.get1(), new Random(generated.get2()),
        new LinkedHashMap<>());
    StowageConfig config = ConfigLoader.builder().yaml("g.yml", new Yaml().dump(tree))
        .environment(Map.of(variable, Boolean.toString(preempt))).load();
    assertEquals(preempt, config.volumeSettings().preempt());
  }

  @Provide
  Arbitrary<String> preemptVariables() {
    return Arbitraries.of(List.copyOf(Schema.PREEMPT.spellings().keySet())).map(Schema::envName);
  }
}
