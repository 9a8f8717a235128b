package io.stowage.internal.policy;

import io.stowage.exception.AmbiguousVolumeException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.spi.StorageDriver;
import java.util.List;
import java.util.Optional;

/** Turns "a name or a back-end ID" into one volume of a driver. */
final class VolumeResolver {
  private final StorageDriver driver;

  VolumeResolver(StorageDriver driver) {
    this.driver = driver;
  }

  /** A name is looked up first; a reference that names no volume is then tried as an ID. */
  Optional<Volume> find(String reference) {
    if (reference == null || reference.isEmpty()) {
      throw new InvalidArgumentException("volume", reference, "must not be empty");
    }
    if (VolumeName.isLegal(reference)) {
      List<Volume> named = driver.findByName(VolumeName.of(reference));
      if (named.size() > 1) {
        throw new AmbiguousVolumeException(reference,
            named.stream().map(v -> v.id().value()).sorted().toList());
      }
      if (named.size() == 1) {
        return Optional.of(named.get(0));
      }
    }
    return driver.find(VolumeId.of(reference));
  }

  Volume get(String reference) {
    return find(reference).orElseThrow(() -> new VolumeNotFoundException(reference));
  }
}
