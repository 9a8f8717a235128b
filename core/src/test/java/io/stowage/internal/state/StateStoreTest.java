package io.stowage.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import io.stowage.model.MountOptions;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
  private static final VolumeName PGDATA = VolumeName.of("pgdata");

  @TempDir
  Path dir;

  private static VolumeRecord full() {
    return VolumeRecord.of("fake", PGDATA, VolumeId.of("vol-0123"))
        .withDevice(Optional.of(Path.of("/dev/xvdf")))
        .withMountPoint(Optional.of(Path.of("/var/lib/stowage/volumes/pgdata")))
        .withDataPath(Optional.of(Path.of("/var/lib/stowage/volumes/pgdata/data")))
        .withCaller(Caller.of("task-42"))
        .withCaller(Caller.ANONYMOUS)
        .withIntent(Intent.attaching(InstanceId.of("i-0abc"),
            Path.of("/var/lib/stowage/volumes/pgdata"), CLOCK.instant()));
  }

  @Test
  void putGetRemoveRoundTrip() {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(Optional.empty(), store.get("fake", PGDATA));
      VolumeRecord record = full();
      store.put(record);
      assertEquals(Optional.of(record), store.get("fake", PGDATA));
      assertEquals(Optional.empty(), store.get("ebs", PGDATA));

      VolumeRecord changed = record.withoutIntent().withoutCaller(Caller.ANONYMOUS);
      store.put(changed);
      assertEquals(Optional.of(changed), store.get("fake", PGDATA));

      store.remove("fake", PGDATA);
      assertEquals(Optional.empty(), store.get("fake", PGDATA));
      store.remove("fake", PGDATA);
      assertEquals(List.of(), store.all());
      assertEquals(List.of(), store.problems());
    }
  }

  @Test
  void recordsSurviveReopen() {
    VolumeRecord a = full();
    VolumeRecord b = VolumeRecord.of("ebs", VolumeName.of("logs"), VolumeId.of("vol-9"));
    VolumeRecord c = VolumeRecord.of("fake", VolumeName.of("a.b-c_d"), VolumeId.of("x"));
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(a);
      store.put(b);
      store.put(c);
    }
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(b, c, a), store.all());
      assertEquals(List.of(c, a), store.all("fake"));
      assertEquals(List.of(), store.all("virtualbox"));
      assertEquals(Optional.of(a), store.get("fake", PGDATA));
      assertEquals(List.of(), store.problems());
    }
  }

  @Test
  void writesTheDocumentedFormat() throws IOException {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(full());
    }
    String expected = """
        {
          "formatVersion" : 5,
          "service" : "fake",
          "driver" : "fake",
          "name" : "pgdata",
          "volumeId" : "vol-0123",
          "device" : "/dev/xvdf",
          "mountPoint" : "/var/lib/stowage/volumes/pgdata",
          "dataPath" : "/var/lib/stowage/volumes/pgdata/data",
          "callers" : [ "-", "task-42" ],
          "readOnly" : false,
          "mountOptions" : [ ],
          "intent" : {
            "step" : "ATTACHING",
            "startedAt" : "2025-03-04T05:06:07Z",
            "mountPoint" : "/var/lib/stowage/volumes/pgdata",
            "instance" : "i-0abc"
          }
        }
        """;
    assertEquals(expected, Files.readString(dir.resolve("records/fake/pgdata.json")));
  }

  @Test
  void readsARecordOfFormatVersionTwoAsItsDriversOwnService() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/pgdata.json"), """
        {
          "formatVersion" : 2,
          "driver" : "fake",
          "name" : "pgdata",
          "volumeId" : "vol-0123",
          "device" : "/dev/xvdf",
          "mountPoint" : "/var/lib/stowage/volumes/pgdata",
          "dataPath" : "/var/lib/stowage/volumes/pgdata/data",
          "callers" : [ "-", "task-42" ],
          "intent" : {
            "step" : "ATTACHING",
            "startedAt" : "2025-03-04T05:06:07Z",
            "mountPoint" : "/var/lib/stowage/volumes/pgdata",
            "instance" : "i-0abc"
          }
        }
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(), store.problems());
      assertEquals(Optional.of(full()), store.get("fake", PGDATA));
      assertEquals(List.of(full()), store.recordsOf("fake", PGDATA));
    }
  }

  @Test
  void keepsTheModeAndOptionsOfAMount() {
    VolumeRecord readOnly = full().withoutIntent()
        .withMount(MountOptions.parse(List.of("ro", "nodev", "noatime")));
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(readOnly);
    }
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(), store.problems());
      VolumeRecord read = store.get("fake", PGDATA).orElseThrow();
      assertEquals(readOnly, read);
      assertEquals(Optional.of(true), read.mount().readOnly());
      assertEquals(List.of("noatime", "nodev"), read.mount().options());
    }
  }

  @Test
  void readsARecordOfFormatVersionFourAsAReadWriteMount() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/pgdata.json"), """
        {"formatVersion": 4, "service": "fake", "driver": "fake", "name": "pgdata",
         "volumeId": "v", "device": "/dev/xvdf", "mountPoint": "/m/pgdata",
         "dataPath": "/m/pgdata/data", "callers": ["task-1"]}
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(), store.problems());
      VolumeRecord read = store.get("fake", PGDATA).orElseThrow();
      assertEquals(VolumeRecord.READ_WRITE, read.mount());
      assertEquals(Set.of(Caller.of("task-1")), read.callers());
    }
  }

  @Test
  void aVersionFourRecordWithAModeOrAVersionFiveWithoutIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/a.json"), """
        {"formatVersion": 4, "service": "fake", "driver": "fake", "name": "a",
         "volumeId": "v", "callers": [], "readOnly": true, "mountOptions": []}
        """);
    Files.writeString(dir.resolve("records/fake/b.json"), """
        {"formatVersion": 5, "service": "fake", "driver": "fake", "name": "b",
         "volumeId": "v", "callers": []}
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(2, store.problems().size(), store.problems().toString());
      assertTrue(store.problems().get(0).reason().contains("cannot have a mount mode"),
          store.problems().toString());
      assertTrue(store.problems().get(1).reason().contains("missing readOnly"),
          store.problems().toString());
      assertEquals(List.of(), store.all());
    }
  }

  @Test
  void keepsTheMountOptionsAVolumeWasCreatedWith() throws IOException {
    MountOptions options = MountOptions.parseJoined("ro+noexec");
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(MountOptions.NONE, store.mountDefaults().get("fake", PGDATA));
      store.mountDefaults().put("fake", PGDATA, options);
    }
    assertEquals("""
        {
          "formatVersion" : 1,
          "readOnly" : true,
          "mountOptions" : [ "noexec" ]
        }""", Files.readString(dir.resolve("mount-defaults/fake/pgdata.json")));
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(options, store.mountDefaults().get("fake", PGDATA));
      assertEquals(MountOptions.NONE, store.mountDefaults().get("platform-1", PGDATA));
      store.mountDefaults().put("fake", PGDATA, MountOptions.NONE);
      assertEquals(MountOptions.NONE, store.mountDefaults().get("fake", PGDATA));
      assertFalse(Files.exists(dir.resolve("mount-defaults/fake/pgdata.json")));
    }
  }

  @Test
  void refusesMountOptionsOffTheAllowListInTheFileOfAVolume() throws IOException {
    Path file = dir.resolve("mount-defaults/fake/pgdata.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"formatVersion\":1,\"mountOptions\":[\"exec,suid\"]}");
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      StateStoreException e = assertThrows(StateStoreException.class,
          () -> store.mountDefaults().get("fake", PGDATA));
      assertEquals(file, e.file());
      assertTrue(e.getMessage().contains("comma"), e.getMessage());
    }
  }

  @Test
  void aVersionTwoRecordWithAServiceIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/pgdata.json"), """
        {"formatVersion": 2, "service": "fake", "driver": "fake", "name": "pgdata",
         "volumeId": "v", "callers": []}
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(1, store.problems().size());
      assertTrue(store.problems().get(0).reason().contains("has no service"),
          store.problems().toString());
    }
  }

  @Test
  void servicesOfOneDriverKeepTheirOwnRecordsOfOneVolumeName() throws IOException {
    VolumeRecord fakeOwn = full();
    VolumeRecord platform1 = VolumeRecord.of("platform-1", "fake", PGDATA, VolumeId.of("v2"))
        .withCaller(Caller.of("task-7"));
    VolumeRecord ebs = VolumeRecord.of("ebs", PGDATA, VolumeId.of("vol-9"));
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(fakeOwn);
      store.put(platform1);
      store.put(ebs);
      assertEquals(Optional.of(fakeOwn), store.get("fake", PGDATA));
      assertEquals(Optional.of(platform1), store.get("platform-1", PGDATA));
      assertEquals(List.of(fakeOwn, platform1), store.recordsOf("fake", PGDATA));
      assertEquals(List.of(ebs), store.recordsOf("ebs", PGDATA));
      store.remove("platform-1", PGDATA);
      assertEquals(Optional.of(fakeOwn), store.get("fake", PGDATA));
      assertEquals(List.of(fakeOwn), store.recordsOf("fake", PGDATA));
    }
    assertTrue(Files.readString(dir.resolve("records/fake/pgdata.json"))
        .contains("\"service\" : \"fake\""));
    assertFalse(Files.exists(dir.resolve("records/platform-1/pgdata.json")));
  }

  @Test
  void aRecordInAnotherServicesDirectoryIsMovedAside() throws IOException {
    Files.createDirectories(dir.resolve("records/platform-1"));
    Files.writeString(dir.resolve("records/platform-1/pgdata.json"), """
        {"formatVersion": 3, "service": "platform-2", "driver": "fake", "name": "pgdata",
         "volumeId": "v", "callers": []}
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(1, store.problems().size());
      assertTrue(store.problems().get(0).reason().contains("platform-2/pgdata"),
          store.problems().toString());
      assertEquals(List.of(), store.all());
    }
  }

  @Test
  void volumesAreLockedPerDriverAndRecordsWrittenPerService() throws Exception {
    try (StateStore store = StateStore.open(dir, CLOCK);
        VolumeLock held = store.lock("fake", PGDATA, Duration.ZERO)) {
      // The volume's lock does not stop another service's record from being written...
      store.put(VolumeRecord.of("platform-1", "fake", PGDATA, VolumeId.of("v")));
      // ...and another thread cannot take the volume's lock, whichever service it mounts for.
      java.util.concurrent.ExecutorService other =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        assertTrue(other.submit(() -> store.tryLock("fake", PGDATA).isEmpty()).get());
        assertTrue(other.submit(() -> {
          Optional<VolumeLock> ebs = store.tryLock("ebs", PGDATA);
          ebs.ifPresent(VolumeLock::close);
          return ebs.isPresent();
        }).get());
      } finally {
        other.shutdown();
      }
      assertEquals(VolumeKey.of("fake", PGDATA), held.key());
    }
    assertTrue(Files.exists(dir.resolve("locks/fake/pgdata.lock")));
    assertTrue(Files.exists(dir.resolve("locks/platform-1/pgdata.lock")));
  }

  @Test
  void readsARecordOfFormatVersionOne() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/pgdata.json"), """
        {"formatVersion": 1, "driver": "fake", "name": "pgdata", "volumeId": "v",
         "callers": ["task-1"],
         "intent": {"step": "MOUNTING", "startedAt": "2025-03-04T05:06:07Z",
                    "caller": "task-1", "device": "/dev/xvdf",
                    "mountPoint": "/var/lib/stowage/volumes/pgdata", "details": {"a": "b"}}}
        """);
    Files.writeString(dir.resolve("records/fake/logs.json"), """
        {"formatVersion": 1, "driver": "fake", "name": "logs", "volumeId": "w", "callers": [],
         "intent": {"step": "DETACHING", "startedAt": "2025-03-04T05:06:07Z",
                    "mountPoint": "/var/lib/stowage/volumes/logs", "instance": "i-1"}}
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(), store.problems());
      Intent mounting = store.get("fake", PGDATA).orElseThrow().intent().orElseThrow();
      assertEquals(Intent.Step.ATTACHING, mounting.step(), "an unacknowledged mount rolls back");
      assertEquals(Path.of("/var/lib/stowage/volumes/pgdata"), mounting.mountPoint());
      Intent detaching = store.get("fake", VolumeName.of("logs")).orElseThrow().intent()
          .orElseThrow();
      assertEquals(Intent.Step.UNMOUNTING, detaching.step(), "a detach completes");
    }
  }

  @Test
  void readsAMinimalHandWrittenRecord() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/pgdata.json"),
        "{\"formatVersion\":1,\"driver\":\"fake\",\"name\":\"pgdata\",\"volumeId\":\"v\","
            + "\"callers\":[]}");
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(Optional.of(VolumeRecord.of("fake", PGDATA, VolumeId.of("v"))),
          store.get("fake", PGDATA));
      assertEquals(List.of(), store.problems());
    }
  }

  @Test
  void createsAPrivateDirectoryWithItsParentsOnTheFirstWrite() throws IOException {
    Path state = dir.resolve("var/lib/stowage");
    try (StateStore store = StateStore.open(state, CLOCK)) {
      assertFalse(Files.exists(dir.resolve("var")), "opening to read creates nothing");
      assertEquals(List.of(), store.all());
      assertEquals(Optional.empty(), store.get("fake", PGDATA));
      assertFalse(Files.exists(dir.resolve("var")), "reading creates nothing");
      store.put(full());
      assertTrue(Files.isDirectory(state.resolve("records")));
      assertTrue(Files.isDirectory(state.resolve("locks")));
      assertEquals("rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(state.resolve("records/fake/pgdata.json"))));
    }
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws IOException {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      for (int i = 0; i < 5; i++) {
        store.put(full().withVolumeId(VolumeId.of("v" + i)));
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("records/fake"))) {
      assertEquals(List.of(dir.resolve("records/fake/pgdata.json")), files.toList());
    }
  }

  @Test
  void deletesTemporaryFilesLeftByACrash() throws IOException {
    Path records = dir.resolve("records/fake");
    Files.createDirectories(records);
    Path temp = records.resolve(".pgdata.json.1f2e3d.tmp");
    Path stray = records.resolve(".whatever.tmp");
    Files.writeString(temp, "{\"formatVersion\":1,\"dri");
    Files.writeString(stray, "");
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertFalse(Files.exists(temp));
      assertFalse(Files.exists(stray));
      assertEquals(List.of(), store.all());
      assertEquals(List.of(), store.problems());
    }
  }

  @Test
  void movesUnreadableFilesAsideAndReportsThem() throws IOException {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(full());
    }
    Path records = dir.resolve("records/fake");
    Files.writeString(records.resolve("truncated.json"), "{\"formatVersion\":1,\"driv");
    Files.writeString(records.resolve("empty.json"), "");
    Files.writeString(records.resolve("unknown-field.json"), Files.readString(
        records.resolve("pgdata.json")).replace("\"name\" : \"pgdata\"",
            "\"name\" : \"unknown-field\", \"colour\" : \"red\""));
    Files.writeString(records.resolve("elsewhere.json"), Files.readString(
        records.resolve("pgdata.json")));
    Files.writeString(records.resolve("bad-path.json"), Files.readString(
        records.resolve("pgdata.json")).replace("\"name\" : \"pgdata\"",
            "\"name\" : \"bad-path\"").replace("\"/dev/xvdf\"", "\"xvdf\""));
    Files.writeString(records.resolve("notes.txt"), "hello");

    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(full()), store.all());
      List<StateProblem> problems = store.problems();
      assertEquals(6, problems.size(), problems::toString);
      for (StateProblem problem : problems) {
        assertTrue(problem.movedTo().isPresent(), problem::toString);
        assertFalse(Files.exists(problem.file()), problem::toString);
        assertTrue(Files.exists(problem.movedTo().get()), problem::toString);
        assertEquals(dir.resolve("corrupt/fake"), problem.movedTo().get().getParent());
        assertEquals(problem.file().getFileName() + ".2025-03-04T05-06-07Z",
            problem.movedTo().get().getFileName().toString());
      }
      assertEquals("", Files.readString(dir.resolve("corrupt/fake/empty.json.2025-03-04T05-06-07Z")));
      assertTrue(reason(problems, "elsewhere.json").contains("fake/pgdata"));
      assertTrue(reason(problems, "unknown-field.json").contains("colour"));
      assertTrue(reason(problems, "bad-path.json").contains("absolute"));
    }
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(List.of(), store.problems());
      assertEquals(List.of(full()), store.all());
    }
  }

  @Test
  void aFileMovedAsideTwiceKeepsBothCopies() throws IOException {
    Path records = dir.resolve("records/fake");
    Files.createDirectories(records);
    for (String content : List.of("first", "second")) {
      Files.writeString(records.resolve("x.json"), content);
      try (StateStore store = StateStore.open(dir, CLOCK)) {
        assertEquals(1, store.problems().size());
      }
    }
    assertEquals("first",
        Files.readString(dir.resolve("corrupt/fake/x.json.2025-03-04T05-06-07Z")));
    assertEquals("second",
        Files.readString(dir.resolve("corrupt/fake/x.json.2025-03-04T05-06-07Z.1")));
  }

  @Test
  void aRecordCorruptedWhileOpenIsMovedAsideOnRead() throws IOException {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(full());
      Files.writeString(dir.resolve("records/fake/pgdata.json"), "{garbage");
      assertEquals(Optional.empty(), store.get("fake", PGDATA));
      assertEquals(1, store.problems().size());
      assertEquals(dir.resolve("records/fake/pgdata.json"), store.problems().get(0).file());
      assertTrue(Files.exists(store.problems().get(0).movedTo().orElseThrow()));
      store.put(full());
      assertEquals(Optional.of(full()), store.get("fake", PGDATA));
    }
  }

  @Test
  void leavesARecordOfANewerFormatInPlace() throws IOException {
    Path records = dir.resolve("records/fake");
    Files.createDirectories(records);
    Path newer = records.resolve("pgdata.json");
    Files.writeString(newer, "{\"formatVersion\":6,\"somethingNew\":true}");
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(1, store.problems().size());
      assertEquals(Optional.empty(), store.problems().get(0).movedTo());
      assertTrue(store.problems().get(0).reason().contains("format version 6"));
      assertTrue(Files.exists(newer));
      assertEquals(List.of(), store.all());
      StateStoreException e =
          assertThrows(StateStoreException.class, () -> store.get("fake", PGDATA));
      assertEquals(newer, e.file());
    }
  }

  @Test
  void reportsStrangeEntriesOfTheRecordsDirectoryWithoutTouchingThem() throws IOException {
    Path odd = dir.resolve("records/Not_A_Driver");
    Files.createDirectories(odd);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(1, store.problems().size());
      assertEquals(odd, store.problems().get(0).file());
      assertTrue(Files.isDirectory(odd));
    }
  }

  @Test
  void rejectsIllegalServiceAndDriverNames() {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      for (String service : List.of("", "EBS", "a/b", "..", "a b", "x".repeat(65))) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
            () -> store.get(service, PGDATA), service);
        assertEquals("service name", e.field());
      }
      for (String driver : List.of("my-driver", "x".repeat(33))) {
        assertEquals("storage driver name", assertThrows(InvalidArgumentException.class,
            () -> store.lock(driver, PGDATA, Duration.ZERO)).field());
        assertEquals("storage driver name", assertThrows(InvalidArgumentException.class,
            () -> store.recordsOf(driver, PGDATA)).field());
      }
      assertThrows(InvalidArgumentException.class,
          () -> store.lock("fake", PGDATA, java.time.Duration.ofSeconds(-1)));
    }
  }

  @Test
  void aClosedStoreRefusesWork() {
    StateStore store = StateStore.open(dir, CLOCK);
    store.close();
    store.close();
    assertThrows(IllegalStateException.class, () -> store.get("fake", PGDATA));
    assertThrows(IllegalStateException.class, () -> store.put(full()));
    assertThrows(IllegalStateException.class, () -> store.remove("fake", PGDATA));
    assertThrows(IllegalStateException.class, store::all);
    assertThrows(IllegalStateException.class,
        () -> store.lock("fake", PGDATA, java.time.Duration.ZERO));
  }

  @Test
  void aWriteFailureIsReportedWithTheFile() throws IOException {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      Files.createDirectories(dir.resolve("records"));
      Files.writeString(dir.resolve("records/ebs"), "a file where a directory belongs");
      VolumeRecord record = VolumeRecord.of("ebs", PGDATA, VolumeId.of("v"));
      StateStoreException e = assertThrows(StateStoreException.class, () -> store.put(record));
      assertEquals(dir.resolve("records/ebs/pgdata.json"), e.file());
      assertTrue(e.getMessage().contains("ebs/pgdata"), e.getMessage());
    }
  }

  @Test
  void callersAreWrittenSorted() throws IOException {
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(VolumeRecord.of("fake", PGDATA, VolumeId.of("v"))
          .withCallers(Set.of(Caller.of("c"), Caller.of("a"), Caller.of("b"))));
    }
    String json = Files.readString(dir.resolve("records/fake/pgdata.json"),
        StandardCharsets.UTF_8);
    assertTrue(json.contains("\"callers\" : [ \"a\", \"b\", \"c\" ]"), json);
  }

  private static String reason(List<StateProblem> problems, String fileName) {
    return problems.stream()
        .filter(p -> p.file().getFileName().toString().equals(fileName))
        .findFirst().orElseThrow(() -> new AssertionError("no problem for " + fileName))
        .reason();
  }

  @Test
  void keepsAGrowingIntentWithItsSizeSinceFormatFour() throws IOException {
    VolumeRecord growing = full().withIntent(Intent.growing(
        Path.of("/var/lib/stowage/volumes/pgdata"), ByteSize.ofGiB(2), CLOCK.instant()));
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      store.put(growing);
    }
    String expected = """
        {
          "formatVersion" : 5,
          "service" : "fake",
          "driver" : "fake",
          "name" : "pgdata",
          "volumeId" : "vol-0123",
          "device" : "/dev/xvdf",
          "mountPoint" : "/var/lib/stowage/volumes/pgdata",
          "dataPath" : "/var/lib/stowage/volumes/pgdata/data",
          "callers" : [ "-", "task-42" ],
          "readOnly" : false,
          "mountOptions" : [ ],
          "intent" : {
            "step" : "GROWING",
            "startedAt" : "2025-03-04T05:06:07Z",
            "mountPoint" : "/var/lib/stowage/volumes/pgdata",
            "size" : 2147483648
          }
        }
        """;
    assertEquals(expected, Files.readString(dir.resolve("records/fake/pgdata.json")));
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(Optional.of(growing), store.get("fake", PGDATA));
    }
  }

  @Test
  void refusesAGrowingIntentInAnOlderFormat() throws IOException {
    Files.createDirectories(dir.resolve("records/fake"));
    Files.writeString(dir.resolve("records/fake/pgdata.json"), """
        {"formatVersion": 3, "service": "fake", "driver": "fake", "name": "pgdata",
         "volumeId": "v", "callers": [], "intent": {"step": "GROWING",
         "startedAt": "2025-03-04T05:06:07Z", "mountPoint": "/m", "size": 5}}
        """);
    try (StateStore store = StateStore.open(dir, CLOCK)) {
      assertEquals(1, store.problems().size());
      assertTrue(store.problems().get(0).reason().contains("no GROWING"),
          store.problems().get(0).reason());
      assertEquals(List.of(), store.all());
    }
  }
}
