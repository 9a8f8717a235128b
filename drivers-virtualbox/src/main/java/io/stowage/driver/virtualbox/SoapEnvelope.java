package io.stowage.driver.virtualbox;

import io.stowage.exception.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes SOAP 1.1 requests in vboxwebsrv's document/literal style with StAX, which escapes
 * every value: the operation element is qualified with VirtualBox's namespace and its
 * parameters are unqualified children, in the WSDL's order.
 */
final class SoapEnvelope {
  /** The SOAP 1.1 envelope namespace. */
  static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
  /** VirtualBox's WSDL target namespace. */
  static final String VBOX_NS = "http://www.virtualbox.org/";

  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

  private SoapEnvelope() {}

  /**
   * Writes a request.
   *
   * @param operation the operation, such as {@code IVirtualBox_findMachine}
   * @param params the parameters, in the WSDL's order
   * @return the request body, UTF-8
   * @throws InvalidArgumentException when a value holds a character XML 1.0 cannot carry
   */
  static byte[] request(String operation, List<SoapParam> params) {
    for (SoapParam param : params) {
      requireXmlText(param);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * params.size());
    try {
      XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("SOAP-ENV", "Envelope", SOAP_NS);
      xml.writeNamespace("SOAP-ENV", SOAP_NS);
      xml.writeNamespace("vbox", VBOX_NS);
      xml.writeStartElement("SOAP-ENV", "Body", SOAP_NS);
      xml.writeStartElement("vbox", operation, VBOX_NS);
      for (SoapParam param : params) {
        xml.writeStartElement(param.name());
        xml.writeCharacters(param.value());
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the " + operation + " request", e);
    }
    return out.toByteArray();
  }

  private static void requireXmlText(SoapParam param) {
    String value = param.value();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean legal = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xD7FF
          || Character.isSurrogate(c) || c >= 0xE000 && c <= 0xFFFD;
      if (!legal) {
        throw InvalidArgumentException.withoutValue(param.name(),
            "holds a control character (U+" + String.format("%04X", (int) c)
                + ") that a SOAP request cannot carry");
      }
    }
  }
}
