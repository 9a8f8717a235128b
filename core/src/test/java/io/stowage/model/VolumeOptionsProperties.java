package io.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.Tuple.Tuple3;

/**
 * Legal option maps, in any key casing and with aliases, round-trip through {@code toMap()};
 * illegal ones are rejected naming the key.
 */
class VolumeOptionsProperties {

  private static final Arbitrary<String> LABEL = Combinators.combine(
      Arbitraries.strings().alpha().numeric().ofLength(1),
      Arbitraries.strings().alpha().numeric().withChars('.', '_', '-').ofMaxLength(20))
      .as(String::concat);

  private static final Arbitrary<String> IDENTIFIER = Arbitraries.strings().alpha().numeric()
      .withChars('-', '_', ':', '/', '.', '@').ofMinLength(1).ofMaxLength(40);

  private static final Arbitrary<String> VOLUME_NAME = LABEL.filter(VolumeName::isLegal);

  private static final Arbitrary<String> BOOLEAN =
      Arbitraries.of("true", "false", "TRUE", "False", "t", "F", "1", "0");

  /** Legal values by canonical key. */
  private static Arbitrary<String> legalValue(String key) {
    return switch (key) {
      case "size" -> Combinators.combine(Arbitraries.integers().between(1, 64),
          Arbitraries.of("", "G", "GiB", "gb", "M", "MiB", "T", "TiB")).as((n, u) -> n + u);
      case "iops" -> Arbitraries.longs().between(1, VolumeOptions.MAX_IOPS).map(Object::toString);
      case "volumetype", "availabilityzone" -> LABEL;
      case "encrypted", "overwritefs" -> BOOLEAN;
      case "encryptionkey" -> Combinators.combine(Arbitraries.strings().alpha().ofLength(1),
          Arbitraries.strings().alpha().numeric().withChars(':', '/', '_', '.', '+', '=', '-')
              .ofMaxLength(60)).as(String::concat);
      case "newfstype" -> Arbitraries.of(FsType.KNOWN).flatMap(t ->
          Arbitraries.of(t, t.toUpperCase(Locale.ROOT)));
      case "snapshotid", "snapshotname", "volumeid" -> IDENTIFIER;
      case "volumename" -> VOLUME_NAME;
      case "ro" -> BOOLEAN;
      case "mountoptions" -> Arbitraries.subsetOf("noatime", "nodev", "nosuid", "noexec", "sync",
          "discard", "data=journal").ofMinSize(1).map(set -> String.join("+", set));
      default -> throw new IllegalArgumentException(key);
    };
  }

  /** Illegal values by canonical key. */
  private static Arbitrary<String> illegalValue(String key) {
    Arbitrary<String> empty = Arbitraries.of("", "  ");
    Arbitrary<String> specific = switch (key) {
      case "size" -> Arbitraries.of("0", "-1", "abc", "99999TiB", "1.5", "12 parsecs");
      case "iops" -> Arbitraries.of("0", "-3", "x", Long.toString(VolumeOptions.MAX_IOPS + 1));
      case "volumetype", "availabilityzone" -> Arbitraries.of("has space", "-lead", "a/b",
          "x".repeat(65), "a\u0000b");
      case "encrypted", "overwritefs" -> Arbitraries.of("maybe", "2", "yess");
      case "encryptionkey" -> Arbitraries.of("bad key!", "-lead", "k\u0001");
      case "newfstype" -> Arbitraries.of("zfs", "ntfs", "ext5");
      case "snapshotid", "snapshotname", "volumeid" -> Arbitraries.of("a b", "x\u0000y",
          "x\ny", "z".repeat(257));
      case "volumename" -> badVolumeNames();
      case "ro" -> Arbitraries.of("maybe", "2", "ro");
      case "mountoptions" -> Arbitraries.of("noatime,nodev", "data=bogus", "exec+noexec",
          "ro+rw", "noatime+", "suid=1", "bogus", "noatime+noatime", "x-mount.mkdir",
          "nodev\u0000");
      default -> throw new IllegalArgumentException(key);
    };
    return Arbitraries.oneOf(empty, specific);
  }

  private static Arbitrary<String> badVolumeNames() {
    Arbitrary<Character> bad = Arbitraries.oneOf(
        Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.of('/', '\u007f', ' '));
    Arbitrary<String> withBadChar = Combinators.combine(VOLUME_NAME, bad, VOLUME_NAME)
        .as((a, c, b) -> a + c + b);
    Arbitrary<String> withDots = Combinators.combine(VOLUME_NAME, VOLUME_NAME)
        .as((a, b) -> a + ".." + b);
    return Arbitraries.oneOf(withBadChar, withDots,
        Arbitraries.of("..", "../etc", "/abs", "a/../b", ".hidden"));
  }

  /** A key in a random casing, and "type" for volumetype now and then. */
  private static Arbitrary<String> spelling(String key) {
    Arbitrary<String> spellings = key.equals("volumetype")
        ? Arbitraries.of("volumetype", "type") : Arbitraries.just(key);
    return spellings.flatMap(k -> Arbitraries.integers().between(0, Integer.MAX_VALUE)
        .map(bits -> {
          StringBuilder out = new StringBuilder();
          for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            out.append((bits >> (i % 31) & 1) == 1 ? Character.toUpperCase(c) : c);
          }
          return out.toString();
        }));
  }

  @Provide
  Arbitrary<Map<String, String>> legalOptions() {
    return Arbitraries.subsetOf(VolumeOptions.KEYS).flatMap(keys -> {
      List<Arbitrary<Tuple2<String, String>>> entries = keys.stream()
          .map(k -> Combinators.combine(spelling(k), legalValue(k)).as(Tuple::of)).toList();
      return Combinators.combine(entries).as(list -> {
        Map<String, String> map = new LinkedHashMap<>();
        list.forEach(t -> map.put(t.get1(), t.get2()));
        return map;
      });
    });
  }

  @Property(tries = 500)
  void legalOptionsRoundTrip(@ForAll("legalOptions") Map<String, String> options) {
    VolumeOptions parsed = VolumeOptions.parse(options);
    assertEquals(parsed, VolumeOptions.parse(parsed.toMap()));
    assertEquals(options.size(), parsed.keys().size());
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      assertTrue(parsed.keys().contains(key.equals("type") ? "volumetype" : key), key);
    }
    if (parsed.encryptionKey().isPresent()) {
      assertTrue(parsed.toString().contains("encryptionkey=****"), parsed.toString());
      if (parsed.encryptionKey().get().length() > 24) {
        assertFalse(parsed.toString().contains(parsed.encryptionKey().get()), parsed.toString());
      }
    }
  }

  @Provide
  Arbitrary<Tuple3<Map<String, String>, String, String>> oneIllegalValue() {
    return Combinators.combine(legalOptions(), Arbitraries.of(VolumeOptions.KEYS)
        .flatMap(k -> Combinators.combine(spelling(k), illegalValue(k)).as(Tuple::of)))
        .as((map, bad) -> Tuple.of(map, bad.get1(), bad.get2()));
  }

  @Property(tries = 500)
  void anIllegalValueIsRejectedNamingItsKey(
      @ForAll("oneIllegalValue") Tuple3<Map<String, String>, String, String> generated) {
    Map<String, String> options = new LinkedHashMap<>();
    String badKey = generated.get2();
    String canonical = badKey.toLowerCase(Locale.ROOT).equals("type") ? "volumetype"
        : badKey.toLowerCase(Locale.ROOT);
    generated.get1().forEach((k, v) -> {
      String lower = k.toLowerCase(Locale.ROOT);
      String c = lower.equals("type") ? "volumetype" : lower;
      if (!c.equals(canonical)) {
        options.put(k, v);
      }
    });
    options.put(badKey, generated.get3());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> VolumeOptions.parse(options));
    String message = e.getMessage().toLowerCase(Locale.ROOT);
    assertTrue(message.contains(canonical) || message.contains(badKey.toLowerCase(Locale.ROOT)),
        e.getMessage());
    assertFalse(e.getMessage().chars().anyMatch(ch -> ch < 0x20 && ch != '\n'),
        "no raw control characters in the message");
  }

  @Provide
  Arbitrary<String> unknownKeys() {
    return Arbitraries.strings().alpha().numeric().withChars('_', '-').ofMinLength(1)
        .ofMaxLength(20).filter(k -> {
          String lower = k.toLowerCase(Locale.ROOT);
          return !VolumeOptions.KEYS.contains(lower) && !lower.equals("type");
        });
  }

  @Property(tries = 300)
  void anUnknownKeyIsRejectedByName(@ForAll("legalOptions") Map<String, String> options,
      @ForAll("unknownKeys") String unknown) {
    Map<String, String> withUnknown = new LinkedHashMap<>(options);
    withUnknown.put(unknown, "1");
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> VolumeOptions.parse(withUnknown));
    assertTrue(e.getMessage().contains("\"" + unknown + "\""), e.getMessage());
    assertEquals("volume option", e.field());
  }

  @Property(tries = 200)
  void driverKeysAreAcceptedOnlyWhenDeclared(@ForAll("unknownKeys") String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    Set<String> declared = Set.of(lower);
    if (!lower.matches("[a-z][a-z0-9._-]{0,63}")) {
      return;
    }
    VolumeOptions parsed = VolumeOptions.parse(Map.of(key, "v"), declared);
    assertEquals(Map.of(lower, "v"), parsed.extra());
    assertEquals(parsed, VolumeOptions.parse(parsed.toMap(), declared));
    assertThrows(InvalidArgumentException.class, () -> VolumeOptions.parse(Map.of(key, "v")));
  }

  @Property(tries = 300)
  void volumeNamesWithControlCharactersSlashesOrDotDotAreRejected(
      @ForAll("badNames") String name) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> VolumeOptions.parse(Map.of("volumename", name)));
    assertTrue(e.getMessage().contains("volumename"), e.getMessage());
    assertFalse(VolumeName.isLegal(name));
  }

  @Provide
  Arbitrary<String> badNames() {
    return badVolumeNames();
  }
}
