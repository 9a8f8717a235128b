package io.stowage.exception;

import java.util.List;

/**
 * A reference answers to more than one volume. Stowage never picks one: either the back end
 * holds several volumes of one name, which an operator must resolve, or the reference is the
 * name of one volume and the ID of another, and the caller says which it means with
 * {@code name:<name>} or {@code id:<id>}.
 */
public class AmbiguousVolumeException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The IDs of the volumes the reference answers to. */
  private final List<String> ids;

  /**
   * Creates the exception for a name that several volumes have.
   *
   * @param volume the name
   * @param ids the back-end IDs of every volume with that name
   */
  public AmbiguousVolumeException(String volume, List<String> ids) {
    this(ids, "volume name " + InvalidArgumentException.quote(volume) + " is ambiguous: "
        + ids.size() + " volumes have it (" + String.join(", ", ids)
        + "); name one by its ID with id:<id>");
  }

  private AmbiguousVolumeException(List<String> ids, String message) {
    super(message);
    this.ids = List.copyOf(ids);
  }

  /**
   * Creates the exception for a reference that is the name of one volume and the ID of
   * another.
   *
   * @param reference the reference
   * @param namedId the ID of the volume that has it as its name
   * @param name the name of the volume that has it as its ID
   * @return the exception
   */
  public static AmbiguousVolumeException nameAndId(String reference, String namedId,
      String name) {
    String quoted = InvalidArgumentException.quote(reference);
    return new AmbiguousVolumeException(List.of(namedId, reference), quoted
        + " is the name of volume " + namedId + " and the ID of volume "
        + InvalidArgumentException.quote(name) + "; say which with name:" + reference + " or id:"
        + reference);
  }

  /**
   * Returns the IDs of the volumes the reference answers to.
   *
   * @return the IDs
   */
  public List<String> ids() {
    return ids;
  }
}
