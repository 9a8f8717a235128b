package io.stowage.driver.virtualbox;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads vboxwebsrv's SOAP 1.1 answers with StAX: the {@code <operation>Response} element's
 * {@code returnval} children, or the fault it carries instead. DTDs and external entities are
 * refused.
 */
final class SoapResponseReader {
  private static final XMLInputFactory INPUT = secureFactory();

  private SoapResponseReader() {}

  /** What the body of an answer held. */
  sealed interface Answer permits Returned, Fault {}

  /**
   * A normal answer.
   *
   * @param returnValues the {@code returnval} children, in order
   */
  record Returned(List<XmlNode> returnValues) implements Answer {}

  /**
   * A SOAP fault.
   *
   * @param faultCode the fault code, such as {@code SOAP-ENV:Client}
   * @param faultString the fault string
   * @param detail the first element inside {@code detail}, if any: {@code RuntimeFault} or
   *     {@code InvalidObjectFault}
   */
  record Fault(String faultCode, String faultString, Optional<XmlNode> detail)
      implements Answer {}

  /**
   * Reads an answer.
   *
   * @param operation the operation that was called
   * @param body the response body
   * @return the answer
   * @throws NotSoapException when the body is not a SOAP envelope answering the operation
   */
  static Answer read(String operation, byte[] body) throws NotSoapException {
    try {
      XMLStreamReader xml = INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
      try {
        XmlNode envelope = readDocument(xml);
        if (!envelope.name().equals("Envelope")) {
          throw new NotSoapException("the document is a <" + envelope.name()
              + ">, not a SOAP envelope");
        }
        XmlNode content = envelope.child("Body")
            .flatMap(b -> b.children().stream().findFirst())
            .orElseThrow(() -> new NotSoapException("the SOAP body is empty"));
        if (content.name().equals("Fault")) {
          return new Fault(content.childText("faultcode").strip(),
              content.childText("faultstring").strip(),
              content.child("detail").flatMap(d -> d.children().stream().findFirst()));
        }
        if (!content.name().equals(operation + "Response")) {
          throw new NotSoapException("the answer is a <" + content.name() + ">, not <"
              + operation + "Response>");
        }
        return new Returned(content.children().stream()
            .filter(c -> c.name().equals("returnval")).toList());
      } finally {
        xml.close();
      }
    } catch (XMLStreamException e) {
      throw new NotSoapException("the body is not well-formed XML: " + e.getMessage());
    }
  }

  /** Reads the document element and everything below it into nodes. */
  private static XmlNode readDocument(XMLStreamReader xml) throws XMLStreamException {
    while (xml.hasNext()) {
      if (xml.next() == XMLStreamConstants.START_ELEMENT) {
        return readElement(xml);
      }
    }
    throw new XMLStreamException("no document element");
  }

  private static XmlNode readElement(XMLStreamReader xml) throws XMLStreamException {
    String name = xml.getLocalName();
    StringBuilder text = new StringBuilder();
    List<XmlNode> children = new ArrayList<>();
    while (true) {
      int event = xml.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> children.add(readElement(xml));
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE -> text.append(xml.getText());
        case XMLStreamConstants.END_ELEMENT -> {
          return new XmlNode(name, children.isEmpty() ? text.toString() : "", children);
        }
        default -> {
          // comments and processing instructions carry nothing
        }
      }
    }
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }

  /** The body is not a SOAP answer to the call: the endpoint is not vboxwebsrv. */
  static final class NotSoapException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the body
     */
    NotSoapException(String message) {
      super(message);
    }
  }
}
