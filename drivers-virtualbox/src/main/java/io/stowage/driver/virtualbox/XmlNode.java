package io.stowage.driver.virtualbox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An element of a SOAP response: its local name, its text, and its child elements.
 *
 * @param name the element's local name
 * @param text the element's own text, untrimmed (empty for an element with children)
 * @param children the child elements, in document order
 */
record XmlNode(String name, String text, List<XmlNode> children) {
  /**
   * Validates the node and copies its children.
   */
  XmlNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    children = List.copyOf(children);
  }

  /**
   * Returns the first child of a name.
   *
   * @param childName the local name
   * @return the child, if there is one
   */
  Optional<XmlNode> child(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).findFirst();
  }

  /**
   * Returns the text of the first child of a name.
   *
   * @param childName the local name
   * @return the child's text, or empty text when there is no such child
   */
  String childText(String childName) {
    return child(childName).map(XmlNode::text).orElse("");
  }
}
