package io.stowage.exception;

import java.util.List;

/**
 * More than one volume answers to a name. Stowage never picks one: the back end holds
 * duplicates that an operator must resolve.
 */
public class AmbiguousVolumeException extends StowageException {
  private static final long serialVersionUID = 1L;

  private final List<String> ids;

  /**
   * Creates the exception.
   *
   * @param volume the name
   * @param ids the back-end IDs of every volume with that name
   */
  public AmbiguousVolumeException(String volume, List<String> ids) {
    super("volume name " + InvalidArgumentException.quote(volume) + " is ambiguous: "
        + ids.size() + " volumes have it (" + String.join(", ", ids)
        + "); name one by its ID");
    this.ids = List.copyOf(ids);
  }

  /**
   * Returns the IDs of the volumes with the name.
   *
   * @return the IDs
   */
  public List<String> ids() {
    return ids;
  }
}
