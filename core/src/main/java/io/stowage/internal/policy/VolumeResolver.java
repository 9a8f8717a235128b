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
import java.util.regex.Pattern;

/**
 * Turns a reference into one volume of a driver. A reference is {@code name:<name>},
 * {@code id:<id>}, or bare: a bare reference that has the shape of the driver's IDs is looked
 * up both ways, and two different volumes answering is an {@link AmbiguousVolumeException};
 * any other bare reference is a name.
 */
final class VolumeResolver {
  private static final String NAME_PREFIX = "name:";
  private static final String ID_PREFIX = "id:";

  private final StorageDriver driver;
  private final Optional<Pattern> idShape;

  VolumeResolver(StorageDriver driver, Optional<Pattern> idShape) {
    this.driver = driver;
    this.idShape = idShape;
  }

  /** What a reference says: a name, an ID, or either. */
  sealed interface Reference {
    /** The reference without its prefix. */
    String text();
  }

  /** A reference to a volume by name. */
  record ByName(VolumeName name) implements Reference {
    @Override
    public String text() {
      return name.value();
    }
  }

  /** A reference to a volume by its back-end ID. */
  record ById(VolumeId id) implements Reference {
    @Override
    public String text() {
      return id.value();
    }
  }

  /** A bare reference of the driver's ID shape: a name or an ID. */
  record Either(String text) implements Reference {}

  /**
   * Reads a reference. A bare one that cannot be an ID is a name, validated as one.
   *
   * @throws InvalidArgumentException when it is empty or malformed
   */
  Reference parse(String reference) {
    if (reference == null || reference.isEmpty()) {
      throw new InvalidArgumentException("volume", reference, "must not be empty");
    }
    if (reference.startsWith(NAME_PREFIX)) {
      return new ByName(VolumeName.of(reference.substring(NAME_PREFIX.length())));
    }
    if (reference.startsWith(ID_PREFIX)) {
      return new ById(VolumeId.of(reference.substring(ID_PREFIX.length())));
    }
    if (looksLikeId(reference)) {
      return VolumeName.isLegal(reference) ? new Either(reference)
          : new ById(VolumeId.of(reference));
    }
    return new ByName(VolumeName.of(reference));
  }

  /** Whether a text has the shape of the driver's volume IDs (anything, when undeclared). */
  boolean looksLikeId(String text) {
    return idShape.map(p -> p.matcher(text).matches()).orElse(true);
  }

  /**
   * Refuses a new volume's name that has the shape of the driver's IDs, so that a name never
   * reads as another volume's ID. A driver that declares no shape refuses no name.
   *
   * @throws InvalidArgumentException naming the shape
   */
  void requireNotIdShaped(VolumeName name) {
    if (idShape.isPresent() && idShape.get().matcher(name.value()).matches()) {
      throw new InvalidArgumentException("volume name", name.value(), "has the shape of a "
          + driver.name() + " volume ID (" + idShape.get().pattern() + "), so it could be read"
          + " as another volume's ID; choose another name");
    }
  }

  Optional<Volume> find(String reference) {
    return find(parse(reference));
  }

  Optional<Volume> find(Reference reference) {
    if (reference instanceof ByName byName) {
      return byName(byName.name());
    }
    if (reference instanceof ById byId) {
      return driver.find(byId.id());
    }
    String text = reference.text();
    Optional<Volume> named = byName(VolumeName.of(text));
    Optional<Volume> identified = driver.find(VolumeId.of(text));
    if (named.isPresent() && identified.isPresent()
        && !named.get().id().equals(identified.get().id())) {
      throw AmbiguousVolumeException.nameAndId(text, named.get().id().value(),
          identified.get().name().value());
    }
    return named.or(() -> identified);
  }

  Volume get(String reference) {
    return find(reference).orElseThrow(() -> new VolumeNotFoundException(reference));
  }

  private Optional<Volume> byName(VolumeName name) {
    List<Volume> named = driver.findByName(name);
    if (named.size() > 1) {
      throw new AmbiguousVolumeException(name.value(),
          named.stream().map(v -> v.id().value()).sorted().toList());
    }
    return named.stream().findFirst();
  }

  /**
   * The name a call on a volume locks: calls lock by volume name, so a reference that may be an
   * ID is resolved to its volume's name first, and a mount by name and an unmount by ID take
   * the same lock. A name costs no lookup.
   */
  VolumeName nameForLock(String volume) {
    Reference reference = parse(volume);
    if (reference instanceof ByName byName) {
      return byName.name();
    }
    Optional<VolumeName> found = find(reference).map(Volume::name);
    if (reference instanceof Either either) {
      // Nothing answers: a mount creates it under that name (or refuses the name's shape).
      return found.orElseGet(() -> VolumeName.of(either.text()));
    }
    return found.orElseThrow(() -> new VolumeNotFoundException(volume));
  }
}
