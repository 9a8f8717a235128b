package io.stowage.driver.ebs;

/** A small writer of the XML the EC2 Query protocol answers with. */
final class Xml {
  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  Xml open(String tag) {
    out.append('<').append(tag).append('>');
    return this;
  }

  Xml open(String tag, String namespace) {
    out.append('<').append(tag).append(" xmlns=\"").append(namespace).append("\">");
    return this;
  }

  Xml close(String tag) {
    out.append("</").append(tag).append('>');
    return this;
  }

  Xml text(String tag, Object value) {
    if (value == null) {
      return this;
    }
    out.append('<').append(tag).append('>').append(escape(value.toString())).append("</")
        .append(tag).append('>');
    return this;
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&apos;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
