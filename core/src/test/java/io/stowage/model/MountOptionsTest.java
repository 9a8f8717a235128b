package io.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
  @Test
  void parsesOptionsAndFoldsRoAndRwIntoTheMode() {
    MountOptions parsed = MountOptions.parse(List.of("nodev", "ro", "noatime"));
    assertEquals(Optional.of(true), parsed.readOnly());
    assertEquals(List.of("noatime", "nodev"), parsed.options());
    assertEquals("ro+noatime+nodev", parsed.toString());
    assertEquals(parsed, MountOptions.parseJoined("noatime+ro+nodev"));
    assertEquals(Optional.of(false), MountOptions.parseJoined("rw").readOnly());
    assertTrue(MountOptions.parse(List.of()).isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "noatime,nodev       | comma",
      "exec,suid           | comma",
      "noexec+exec         | contradicts noexec",
      "suid+nosuid         | contradicts suid",
      "ro+rw               | contradicts ro",
      "rw+ro               | contradicts rw",
      "noatime+relatime    | contradicts noatime",
      "data=ordered+data=journal | contradicts data=ordered",
      "noatime+noatime     | more than once",
      "ro+ro               | more than once",
      "noatime=1           | allow-list",
      "data=evil           | allow-list",
      "suid=1              | allow-list",
      "x-mount.mkdir       | allow-list",
      "NOATIME             | allow-list",
      "remount             | allow-list",
      "noatim              | did you mean noatime",
      "noatime+            | must not be empty",
      "+                   | must not be empty"})
  void refusesWhatIsOffTheListOrContradictory(String joined, String reason) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> MountOptions.parseJoined(joined));
    assertEquals("mount option", e.field());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"noatime\u0000", "nodev\n", " noatime", "noexec;reboot"})
  void refusesControlCharactersAndSpacesWithoutEchoingThemRaw(String option) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> MountOptions.parse(List.of(option)));
    assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
  }

  @Test
  void roAndRwAreNotExtraOptions() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new MountOptions(Optional.empty(), List.of("ro")));
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
  }

  @Test
  void theReadOnlyFlagMustAgreeWithRoOrRwAmongTheOptions() {
    assertEquals(Optional.of(true), MountOptions.parseJoined("ro").withReadOnly(true)
        .readOnly());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> MountOptions.parseJoined("rw+noatime").withReadOnly(true));
    assertEquals("read-only", e.field());
    assertThrows(InvalidArgumentException.class,
        () -> MountRequest.builder().readOnly(false).mountOption("ro").build());
  }

  @Test
  void aMountOverridesTheVolumesDefaultsExceptItsRestrictions() {
    MountOptions defaults = MountOptions.parseJoined("ro+noexec+relatime");
    MountOptions mount = MountOptions.parseJoined("rw+noatime").over(defaults, "pgdata");
    assertEquals(MountOptions.parseJoined("rw+noatime+noexec"), mount);
    assertEquals(defaults, MountOptions.NONE.over(defaults, "pgdata"));
    assertEquals(defaults, MountOptions.parseJoined("noexec").over(defaults, "pgdata"));
    for (String lifting : List.of("exec", "exec+suid")) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> MountOptions.parseJoined(lifting).over(
              MountOptions.parseJoined("noexec+nosuid"), "pgdata"));
      assertTrue(e.getMessage().contains("pgdata was created with noexec"), e.getMessage());
    }
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> MountOptions.parseJoined("dev").over(MountOptions.parseJoined("nodev"), "v"));
    assertTrue(e.getMessage().contains("nodev"), e.getMessage());
  }

  @Test
  void eachFileSystemHasItsOwnAllowList() {
    MountOptions ext = MountOptions.parseJoined("data=journal+discard+noatime");
    assertEquals(ext, ext.requireAllowedFor(FsType.EXT4, "v"));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> ext.requireAllowedFor(FsType.XFS, "pgdata"));
    assertTrue(e.getMessage().contains("data=journal")
        && e.getMessage().contains("pgdata") && e.getMessage().contains("xfs"), e.getMessage());
    MountOptions.parseJoined("discard+nodev").requireAllowedFor(FsType.XFS, "v");
    assertTrue(MountOptions.allowedFor(FsType.EXT4).contains("data=ordered"));
    assertFalse(MountOptions.allowedFor(FsType.XFS).contains("data=ordered"));
  }

  @Test
  void volumeOptionsCarryTheModeAndTheOptionsJoinedWithPlus() {
    VolumeOptions options = VolumeOptions.parse(Map.of("ReadOnly", "yes",
        "mountoptions", "noatime+nodev"));
    assertEquals(MountOptions.parseJoined("ro+noatime+nodev"), options.mount());
    assertEquals(Map.of("ro", "true", "mountoptions", "noatime+nodev"), options.toMap());
    assertEquals(options, VolumeOptions.parse(options.toMap()));
    assertEquals(MountOptions.parseJoined("ro"), VolumeOptions.parse(Map.of("ro", "1")).mount());
    assertEquals(options, VolumeOptions.parsePairs(List.of("ro=on,mountoptions=noatime+nodev"),
        java.util.Set.of()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ro=true     | mountoptions=rw         | contradicts",
      "ro=maybe    | mountoptions=noatime    | must be true or false",
      "ro=false    | mountoptions=exec,suid  | comma",
      "readonly=1  | mountoptions=noexec+exec | contradicts",
      "ro=1        | readonly=0              | more than once"})
  void badVolumeOptionsAreTypedErrors(String first, String second, String reason) {
    String[] a = first.split("=", 2);
    String[] b = second.split("=", 2);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> VolumeOptions.parse(Map.of(a[0], a[1], b[0], b[1])));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
