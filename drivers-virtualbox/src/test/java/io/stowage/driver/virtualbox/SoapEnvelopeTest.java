package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoapEnvelopeTest {
  @Test
  void valuesAreEscapedAndParametersStayUnqualifiedInOrder() {
    String xml = new String(SoapEnvelope.request("IVirtualBox_findMachine", List.of(
        SoapParam.of("_this", "a-b"), SoapParam.of("nameOrId", "</nameOrId><x>&"))),
        StandardCharsets.UTF_8);

    assertTrue(xml.contains("<vbox:IVirtualBox_findMachine><_this>a-b</_this>"
        + "<nameOrId>&lt;/nameOrId&gt;&lt;x&gt;&amp;</nameOrId></vbox:IVirtualBox_findMachine>"),
        xml);
  }

  @Test
  void aControlCharacterIsRefusedWithoutShowingTheValue() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> SoapEnvelope.request("IWebsessionManager_logon", List.of(
            SoapParam.of("username", "u"), SoapParam.of("password", "se\u0001cret"))));

    assertEquals("password", e.field());
    assertFalse(e.getMessage().contains("cret"), e.getMessage());
  }

  @Test
  void parametersNeverPrintTheirValues() {
    assertEquals("password", SoapParam.of("password", "hunter2").toString());
  }
}
