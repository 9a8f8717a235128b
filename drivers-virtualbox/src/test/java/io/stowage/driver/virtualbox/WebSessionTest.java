package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.ConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logon, reuse, renewal and logoff of the web session against the double. */
class WebSessionTest {
  @TempDir
  Path temp;
  VboxFixture fixture;
  VboxWebClient client;

  @BeforeEach
  void start() {
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, temp);
    client = fixture.client();
  }

  @AfterEach
  void stop() {
    fixture.assertRequestsValid();
    fixture.close();
  }

  @Test
  void logsOnOnceAndReusesTheSessionAndItsReferences() {
    try (WebSession session = new WebSession(client, VboxFixture.USER, VboxFixture.PASSWORD)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(1, session.call(logon -> client.getMachines(logon.vbox())).size());
        session.call(logon -> logon.machine(fixture.local.uuid));
      }
      assertEquals(1, fixture.vbox.calls("IWebsessionManager_logon"));
      assertEquals(1, fixture.vbox.calls("IVirtualBox_findMachine"), "machine looked up once");
      assertEquals(1, fixture.vbox.liveSessions());
    }
    assertEquals(1, fixture.vbox.calls("IWebsessionManager_logoff"));
    assertEquals(0, fixture.vbox.liveSessions());
  }

  @Test
  void anExpiredSessionIsRenewedOnceAndTheOperationRunsAgain() {
    try (WebSession session = new WebSession(client, VboxFixture.USER, VboxFixture.PASSWORD)) {
      String before = session.call(logon -> logon.machine(fixture.local.uuid)).value();
      fixture.vbox.expireSessions();
      AtomicInteger runs = new AtomicInteger();

      String after = session.call(logon -> {
        runs.incrementAndGet();
        return client.machineGetName(logon.machine(fixture.local.uuid));
      });

      assertEquals("node-1", after);
      assertEquals(2, runs.get(), "the operation ran again after the renewal");
      assertEquals(2, fixture.vbox.calls("IWebsessionManager_logon"));
      assertFalse(before.equals(session.call(logon -> logon.machine(fixture.local.uuid))
          .value()), "references of the old session are not reused");
    }
  }

  @Test
  void aSessionThatExpiresAgainDuringTheRetryIsReportedNotRetriedForever() {
    try (WebSession session = new WebSession(client, VboxFixture.USER, VboxFixture.PASSWORD)) {
      session.call(logon -> client.getMachines(logon.vbox()));
      fixture.vbox.expireSessions();

      StaleReferenceException e = assertThrows(StaleReferenceException.class,
          () -> session.call(logon -> {
            List<ObjectRef> machines = client.getMachines(logon.vbox());
            fixture.vbox.expireSessions();
            return client.machineGetName(machines.get(0));
          }));

      assertTrue(e.getMessage().contains(fixture.vbox.uri().getHost()), e.getMessage());
      // the first logon, and one renewal: the second stale answer is not retried
      assertEquals(2, fixture.vbox.calls("IWebsessionManager_logon"));
    }
  }

  @Test
  void wrongCredentialsAreAConfigurationErrorThatDoesNotShowThePassword() {
    try (WebSession session = new WebSession(client, VboxFixture.USER, "wrong-secret")) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> session.call(logon -> client.getMachines(logon.vbox())));

      assertTrue(e.getMessage().contains("refused the logon of user \"stowage\""),
          e.getMessage());
      assertTrue(e.getMessage().contains("virtualbox.password"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-secret"), e.getMessage());
    }
  }

  @Test
  void aRuntimeFaultsErrorInformationIsReleasedAtOnce() {
    try (WebSession session = new WebSession(client, VboxFixture.USER, VboxFixture.PASSWORD)) {
      session.call(logon -> client.getMachines(logon.vbox()));
      int references = fixture.vbox.liveReferences();

      for (int i = 0; i < 3; i++) {
        VirtualBoxFault e = assertThrows(VirtualBoxFault.class,
            () -> session.call(logon -> client.findMachine(logon.vbox(), "no-such-vm")));
        assertEquals(ResultCodes.VBOX_E_OBJECT_NOT_FOUND, e.resultCode());
        assertTrue(e.getMessage().contains("Could not find a registered machine named"
            + " 'no-such-vm' (VBOX_E_OBJECT_NOT_FOUND 0x80bb0001)"), e.getMessage());
      }

      assertEquals(references, fixture.vbox.liveReferences());
    }
  }

  @Test
  void closingTwiceLogsOffOnceAndAClosedSessionRefusesWork() {
    WebSession session = new WebSession(client, VboxFixture.USER, VboxFixture.PASSWORD);
    session.call(logon -> client.getMachines(logon.vbox()));
    session.close();
    session.close();

    assertEquals(1, fixture.vbox.calls("IWebsessionManager_logoff"));
    assertThrows(IllegalStateException.class,
        () -> session.call(logon -> client.getMachines(logon.vbox())));
  }
}
