package io.stowage.driver.fake;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One snapshot as the store keeps it: the JSON file {@code <root>/snapshots/<id>.json}, next to
 * its image {@code <root>/images/<id>.img}, a sparse copy of its volume's image.
 *
 * @param version the record format, {@link #VERSION}
 * @param id the snapshot ID
 * @param name the snapshot name
 * @param volumeId the volume it was taken of, or null for a copy from another region
 * @param sizeBytes the size of that volume
 * @param region the region it lives in
 * @param tags the tags it was given
 * @param created its point in time, ISO-8601
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SnapshotRecord(int version, String id, String name, String volumeId, long sizeBytes,
    String region, Map<String, String> tags, String created) {

  static final int VERSION = 1;

  /** Its point in time, unless the record says it unreadably. */
  Optional<Instant> createdAt() {
    try {
      return Optional.ofNullable(created).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
