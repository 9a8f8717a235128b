package io.stowage.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Any sequence of puts, removes and reopens leaves exactly what a map would hold, with records
 * of drivers' own services and of a named service that shares a driver.
 */
class StateStoreProperties {
  /** Services and their drivers: two drivers' own services, and a named one of fake. */
  private static final Map<String, String> SERVICES =
      Map.of("fake", "fake", "ebs", "ebs", "platform-1", "fake");
  private static final List<String> DRIVERS = List.of("fake", "ebs");
  private static final List<String> NAMES = List.of("a", "b.c", "D-1", "e_2");

  /** One step of a sequence. */
  sealed interface Step permits Put, Remove, Reopen {}

  record Put(VolumeRecord record) implements Step {}

  record Remove(VolumeKey key) implements Step {}

  record Reopen() implements Step {}

  @Property(tries = 40)
  void theStoreBehavesLikeAMap(@ForAll("steps") @Size(max = 30) List<Step> steps)
      throws IOException {
    Path dir = Files.createTempDirectory("stowage-state-property");
    try {
      Map<VolumeKey, VolumeRecord> model = new TreeMap<>();
      StateStore store = StateStore.open(dir);
      try {
        for (Step step : steps) {
          if (step instanceof Put put) {
            store.put(put.record());
            model.put(put.record().key(), put.record());
          } else if (step instanceof Remove remove) {
            store.remove(remove.key().owner(), remove.key().name());
            model.remove(remove.key());
          } else {
            store.close();
            store = StateStore.open(dir);
            assertEquals(List.of(), store.problems());
          }
          assertEquals(new ArrayList<>(model.values()), store.all());
        }
        for (String service : SERVICES.keySet()) {
          for (String name : NAMES) {
            VolumeKey key = VolumeKey.of(service, VolumeName.of(name));
            assertEquals(Optional.ofNullable(model.get(key)), store.get(service, key.name()));
          }
          assertEquals(model.values().stream().filter(r -> r.service().equals(service))
              .toList(), store.all(service));
        }
        for (String driver : DRIVERS) {
          for (String name : NAMES) {
            assertEquals(model.values().stream().filter(r -> r.driver().equals(driver)
                && r.name().value().equals(name)).toList(),
                store.recordsOf(driver, VolumeName.of(name)));
          }
        }
      } finally {
        store.close();
      }
      try (StateStore reopened = StateStore.open(dir)) {
        assertEquals(new ArrayList<>(model.values()), reopened.all());
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> put = records().map(Put::new);
    Arbitrary<Step> remove = keys().map(Remove::new);
    Arbitrary<Step> reopen = Arbitraries.just(new Reopen());
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, put), net.jqwik.api.Tuple.of(3, remove),
        net.jqwik.api.Tuple.of(1, reopen)).list();
  }

  private static Arbitrary<VolumeKey> keys() {
    return Combinators.combine(Arbitraries.of(List.copyOf(SERVICES.keySet())),
        Arbitraries.of(NAMES).map(VolumeName::of)).as(VolumeKey::new);
  }

  static Arbitrary<VolumeRecord> records() {
    Arbitrary<VolumeId> ids = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1)
        .ofMaxLength(20).map(VolumeId::of);
    Arbitrary<Optional<Path>> paths = Arbitraries.of("/dev/xvdf", "/dev/nvme1n1",
        "/var/lib/stowage/volumes/a", "/mnt/with space/data").map(Path::of).optional();
    Arbitrary<Set<Caller>> callers = Arbitraries.strings().alpha().numeric().ofMinLength(1)
        .ofMaxLength(8).map(Caller::of).set().ofMaxSize(4);
    return Combinators.combine(keys(), ids, paths, paths, paths, callers, intents().optional())
        .as((key, id, device, mountPoint, dataPath, users, intent) -> new VolumeRecord(
            key.owner(), SERVICES.get(key.owner()), key.name(), id, device, mountPoint,
            dataPath, users, intent));
  }

  private static Arbitrary<Intent> intents() {
    Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_102_444_800L)
        .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999)
            .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    Arbitrary<Path> mountPoints = Arbitraries.of("/mnt/x", "/var/lib/stowage/volumes/a b")
        .map(Path::of);
    Arbitrary<Optional<InstanceId>> instances =
        Arbitraries.of("i-1", "vm-2").map(InstanceId::of).optional();
    Arbitrary<ByteSize> sizes = Arbitraries.longs().between(1, ByteSize.MAX_BYTES)
        .map(ByteSize::new);
    return Combinators.combine(Arbitraries.of(Intent.Step.class), instants, mountPoints,
        instances, sizes).as((step, at, mountPoint, instance, size) -> new Intent(step, at,
            mountPoint, instance, step == Intent.Step.GROWING ? Optional.of(size)
                : Optional.empty()));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
