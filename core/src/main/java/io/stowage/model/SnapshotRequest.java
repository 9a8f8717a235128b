package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to call a new snapshot, taken of a volume or copied from another snapshot, and the tags
 * to give it. The back end sets the tags in the same call that creates the snapshot, so no
 * snapshot ever exists without them.
 *
 * @param name the snapshot's name
 * @param tags tags to set: at most {@value #MAX_TAGS}, keys of 1 to 128 and values of 0 to 256
 *     letters, digits, spaces and {@code + - = . _ : / @}; a key must not start with
 *     {@code aws:}, and a driver refuses the keys it keeps for itself
 */
public record SnapshotRequest(SnapshotName name, Map<String, String> tags) {
  /** The most tags a request may set. */
  public static final int MAX_TAGS = 40;

  private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{N} +\\-=._:/@]{1,128}");
  private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{N} +\\-=._:/@]{0,256}");

  /**
   * Validates the request and copies the tags, sorted by key.
   *
   * @param name the snapshot's name
   * @param tags tags to set
   * @throws InvalidArgumentException naming the first malformed tag, or too many
   */
  public SnapshotRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tags, "tags");
    if (tags.size() > MAX_TAGS) {
      throw new InvalidArgumentException("snapshot tags", tags.size() + " tags",
          "at most " + MAX_TAGS + " are allowed");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    tags.forEach((k, v) -> {
      if (k == null || !KEY.matcher(k).matches() || k.regionMatches(true, 0, "aws:", 0, 4)) {
        throw new InvalidArgumentException("snapshot tag key", k, "must be 1 to 128 letters,"
            + " digits, spaces and + - = . _ : / @, and must not start with aws:");
      }
      if (v == null || !VALUE.matcher(v).matches()) {
        throw new InvalidArgumentException("snapshot tag " + k, v, "must be at most 256"
            + " letters, digits, spaces and + - = . _ : / @");
      }
      sorted.put(k, v);
    });
    tags = java.util.Collections.unmodifiableMap(sorted);
  }

  /**
   * A request for a snapshot of a name, without tags.
   *
   * @param name the name
   * @return the request
   * @throws InvalidArgumentException when the name is not legal
   */
  public static SnapshotRequest named(String name) {
    return new SnapshotRequest(SnapshotName.of(name), Map.of());
  }

  /**
   * Returns this request with more tags.
   *
   * @param more the tags to add, replacing those of the same key
   * @return the request
   * @throws InvalidArgumentException naming the first malformed tag, or too many
   */
  public SnapshotRequest withTags(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(tags);
    all.putAll(more);
    return new SnapshotRequest(name, all);
  }
}
