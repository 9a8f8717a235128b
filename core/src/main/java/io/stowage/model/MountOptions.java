package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How a volume is mounted: read-only or read-write, and extra options from a short allow-list.
 * Nothing reaches {@code mount} that this record has not checked: an option is accepted only
 * when it is on the list exactly as written (no comma, no {@code =} other than the listed
 * {@code data=} values), and options that contradict each other ({@code exec} with
 * {@code noexec}, {@code noatime} with {@code relatime}, {@code ro} with {@code rw}) are refused.
 *
 * <p>The allow-list, by group (at most one option of a group applies):
 * <ul>
 *   <li>every file system: {@code noatime | relatime | strictatime}, {@code nodiratime},
 *       {@code noexec | exec}, {@code nosuid | suid}, {@code nodev | dev},
 *       {@code sync | async}, {@code dirsync}, {@code lazytime | nolazytime};
 *   <li>ext4 and ext3 also: {@code discard | nodiscard},
 *       {@code data=ordered | data=writeback | data=journal};
 *   <li>xfs and btrfs also: {@code discard | nodiscard}.
 * </ul>
 * {@code noexec}, {@code nosuid} and {@code nodev} are restrictions: a volume created with one
 * of them keeps it, and a mount that asks for the opposite is refused ({@link #over}).
 *
 * @param readOnly mount read-only (true) or read-write (false); empty when not given, which
 *     means the volume's default, else read-write
 * @param options the extra options, sorted, each once, without {@code ro} and {@code rw}
 */
public record MountOptions(Optional<Boolean> readOnly, List<String> options) {
  /** No option given: the volume's defaults apply, else a read-write mount with none. */
  public static final MountOptions NONE = new MountOptions(Optional.empty(), List.of());

  /**
   * What joins several options in one volume option value ({@code mountoptions=noatime+nodev}):
   * dvdcli and DVDI split volume options on commas and DVDI forbids {@code :}, {@code ;} and
   * spaces.
   */
  public static final String SEPARATOR = "+";

  private static final String FIELD = "mount option";

  /** The groups every file system accepts; at most one option of a group applies. */
  private static final List<List<String>> COMMON = List.of(
      List.of("noatime", "relatime", "strictatime"),
      List.of("nodiratime"),
      List.of("noexec", "exec"),
      List.of("nosuid", "suid"),
      List.of("nodev", "dev"),
      List.of("sync", "async"),
      List.of("dirsync"),
      List.of("lazytime", "nolazytime"));

  private static final List<String> DISCARD = List.of("discard", "nodiscard");
  private static final List<List<String>> EXT = List.of(DISCARD,
      List.of("data=ordered", "data=writeback", "data=journal"));

  /** The groups each file system accepts besides the common ones. */
  private static final Map<String, List<List<String>>> BY_FS_TYPE = Map.of(
      "ext4", EXT,
      "ext3", EXT,
      "xfs", List.of(DISCARD),
      "btrfs", List.of(DISCARD));

  /** Restrictions that a volume's defaults impose and a mount cannot lift. */
  private static final Set<String> RESTRICTIONS = Set.of("noexec", "nosuid", "nodev");

  /** Every option of the allow-list with its group. */
  private static final Map<String, List<String>> GROUP_OF = groups();

  /**
   * Validates the options and sorts them.
   *
   * @param readOnly mount read-only (true) or read-write (false); empty when not given
   * @param options the extra options, each on the allow-list of some file system
   * @throws InvalidArgumentException naming an option that is not on the allow-list (also
   *     {@code ro} or {@code rw}, which {@link #parse} turns into {@code readOnly}), one given
   *     twice, or two that contradict each other
   */
  public MountOptions {
    Objects.requireNonNull(readOnly, "readOnly");
    Map<List<String>, String> chosen = new LinkedHashMap<>();
    for (String option : List.copyOf(options)) {
      List<String> group = groupOf(option);
      String earlier = chosen.putIfAbsent(group, option);
      if (earlier != null) {
        throw new InvalidArgumentException(FIELD, option, earlier.equals(option)
            ? "is given more than once" : "contradicts " + earlier);
      }
    }
    options = List.copyOf(new TreeSet<>(chosen.values()));
  }

  /**
   * Parses options given one per item; {@code ro} and {@code rw} set {@link #readOnly}.
   *
   * @param items the options, such as {@code ["ro", "noatime"]}
   * @return the options
   * @throws InvalidArgumentException naming the first option that is empty, not on the
   *     allow-list, given twice or contradicting another
   */
  public static MountOptions parse(Collection<String> items) {
    Optional<Boolean> readOnly = Optional.empty();
    List<String> options = new ArrayList<>();
    for (String item : items) {
      if (item == null || item.isEmpty()) {
        throw new InvalidArgumentException(FIELD, item, "must not be empty");
      }
      if (item.equals("ro") || item.equals("rw")) {
        boolean ro = item.equals("ro");
        if (readOnly.isPresent()) {
          throw new InvalidArgumentException(FIELD, item, readOnly.get() == ro
              ? "is given more than once" : "contradicts " + (ro ? "rw" : "ro"));
        }
        readOnly = Optional.of(ro);
      } else {
        options.add(item);
      }
    }
    return new MountOptions(readOnly, options);
  }

  /**
   * Parses the value of the volume option {@code mountoptions}: options joined with
   * {@value #SEPARATOR}, such as {@code noatime+nodev}.
   *
   * @param text the joined options
   * @return the options
   * @throws InvalidArgumentException as {@link #parse}
   */
  public static MountOptions parseJoined(String text) {
    Objects.requireNonNull(text, "text");
    return parse(List.of(text.split("\\" + SEPARATOR, -1)));
  }

  /**
   * Returns these options with read-only set.
   *
   * @param value true for a read-only mount, false for a read-write one
   * @return the options
   * @throws InvalidArgumentException when read-only is already set to the opposite
   */
  public MountOptions withReadOnly(boolean value) {
    if (readOnly.isPresent() && readOnly.get() != value) {
      throw new InvalidArgumentException("read-only", Boolean.toString(value), "contradicts "
          + (readOnly.get() ? "ro" : "rw") + " among the mount options");
    }
    return new MountOptions(Optional.of(value), options);
  }

  /**
   * Returns these options over a volume's defaults: read-only and each group of options this
   * sets win, the defaults fill in the rest. A restriction of the defaults ({@code noexec},
   * {@code nosuid}, {@code nodev}) cannot be lifted.
   *
   * @param defaults the volume's defaults, given when it was created
   * @param volume the volume, for the error
   * @return the options to mount with
   * @throws InvalidArgumentException when these options lift a restriction of the defaults
   */
  public MountOptions over(MountOptions defaults, String volume) {
    List<String> merged = new ArrayList<>(options);
    for (String given : defaults.options) {
      Optional<String> mine = options.stream()
          .filter(o -> groupOf(o).equals(groupOf(given))).findFirst();
      if (mine.isEmpty()) {
        merged.add(given);
      } else if (RESTRICTIONS.contains(given) && !mine.get().equals(given)) {
        throw new InvalidArgumentException(FIELD, mine.get(), "volume " + volume
            + " was created with " + given + ", which a mount cannot lift");
      }
    }
    return new MountOptions(readOnly.or(defaults::readOnly), merged);
  }

  /**
   * Returns whether the mount is read-only.
   *
   * @return {@link #readOnly}, false when not given
   */
  public boolean readOnlyOrFalse() {
    return readOnly.orElse(false);
  }

  /**
   * Returns whether nothing is given.
   *
   * @return true when read-only is not given and there are no extra options
   */
  public boolean isEmpty() {
    return readOnly.isEmpty() && options.isEmpty();
  }

  /**
   * Returns the mode in words, for messages.
   *
   * @return {@code read-only} or {@code read-write}
   */
  public String mode() {
    return readOnlyOrFalse() ? "read-only" : "read-write";
  }

  /**
   * Checks that every option applies to a file system type, once the type is known.
   *
   * @param type the file system of the volume
   * @param subject what is mounted, for the error: {@code volume pgdata}, {@code /dev/xvdf}
   * @return these options
   * @throws InvalidArgumentException naming the first option the type does not take
   */
  public MountOptions requireAllowedFor(FsType type, String subject) {
    List<String> allowed = allowedFor(type);
    for (String option : options) {
      if (!allowed.contains(option)) {
        throw new InvalidArgumentException(FIELD, option, "does not apply to " + subject
            + ", whose file system is " + type + "; " + type + " takes " + allowed);
      }
    }
    return this;
  }

  /**
   * Returns the allow-list of one file system type.
   *
   * @param type the file system type
   * @return the options it takes, besides {@code ro} and {@code rw}
   */
  public static List<String> allowedFor(FsType type) {
    return Stream.concat(COMMON.stream(), BY_FS_TYPE.getOrDefault(type.name(), List.of())
        .stream()).flatMap(List::stream).toList();
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    readOnly.ifPresent(ro -> shown.add(ro ? "ro" : "rw"));
    shown.addAll(options);
    return String.join(SEPARATOR, shown);
  }

  private static List<String> groupOf(String option) {
    if (option == null) {
      throw new InvalidArgumentException(FIELD, null, "must not be null");
    }
    List<String> group = GROUP_OF.get(option);
    if (group != null) {
      return group;
    }
    String reason;
    if (option.contains(",")) {
      reason = "holds a comma; give options one by one (joined with '" + SEPARATOR
          + "' in the volume option mountoptions)";
    } else if (option.equals("ro") || option.equals("rw")) {
      reason = "is set through read-only, not as an extra option";
    } else {
      reason = "is not on the allow-list" + ClosestMatch.in(option, GROUP_OF.keySet())
          .map(m -> " (did you mean " + m + "?)").orElse("") + "; allowed: "
          + new TreeSet<>(GROUP_OF.keySet());
    }
    throw new InvalidArgumentException(FIELD, option, reason);
  }

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    Stream.concat(COMMON.stream(), BY_FS_TYPE.values().stream().flatMap(List::stream))
        .forEach(group -> group.forEach(option -> map.put(option, group)));
    return Map.copyOf(map);
  }
}
