package io.stowage.driver.virtualbox;

import java.util.Optional;

/**
 * One device slot of a machine as {@code IMachine_getMediumAttachments} reports it. In the web
 * service an {@code IMediumAttachment} is an inline structure, not an object reference.
 *
 * @param medium the attached medium, or empty for an empty drive
 * @param controller the storage controller's name
 * @param port the controller port
 * @param device the device slot on the port
 * @param type the device type, such as {@code HardDisk}
 * @param hotPluggable whether the guest may lose the device while it runs
 */
record MediumAttachmentInfo(Optional<ObjectRef> medium, String controller, int port, int device,
    String type, boolean hotPluggable) {

  /**
   * Reads the structure from a {@code returnval} element.
   *
   * @param node the element
   * @return the attachment
   */
  static MediumAttachmentInfo from(XmlNode node) {
    String medium = node.childText("medium").strip();
    return new MediumAttachmentInfo(
        medium.isEmpty() ? Optional.empty() : Optional.of(new ObjectRef(medium)),
        node.childText("controller"),
        Integer.parseInt(node.childText("port").strip()),
        Integer.parseInt(node.childText("device").strip()),
        node.childText("type").strip(),
        Boolean.parseBoolean(node.childText("hotPluggable").strip()));
  }

  /**
   * Returns whether this slot holds a medium.
   *
   * @param ref the medium
   * @return true when the slot holds it
   */
  boolean holds(ObjectRef ref) {
    return medium.filter(ref::equals).isPresent();
  }
}
