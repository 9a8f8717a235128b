package io.stowage.driver.virtualbox;

import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vboxwebsrv web session, shared by every operation of a driver: logged on at the first
 * call, reused with the object references it hands out, and logged off on {@link #close()}.
 * When vboxwebsrv no longer knows a reference (the session expired after vboxwebsrv's idle
 * timeout, or vboxwebsrv restarted), the session logs on again and runs the operation once
 * more from the start, with fresh references.
 *
 * <p>Thread-safe: operations run in parallel on one logon; a renewal happens once however many
 * operations notice the stale session.
 */
final class WebSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebSession.class);

  private final VboxWebClient client;
  private final String username;
  private final String password;
  private final ReentrantLock lock = new ReentrantLock();
  private Logon current;
  private boolean closed;

  /**
   * Creates a session. Does not log on yet.
   *
   * @param client the web service client
   * @param username the user
   * @param password the password (a secret: never logged)
   */
  WebSession(VboxWebClient client, String username, String password) {
    this.client = client;
    this.username = username;
    this.password = password;
  }

  /**
   * Runs an operation on the session, logging on first if needed. If vboxwebsrv answers that
   * a reference is invalid, logs on again and runs the whole operation once more; a second
   * such answer is reported.
   *
   * @param operation the operation, which must be safe to run again from the start
   * @param <T> the operation's result
   * @return the result
   * @throws StaleReferenceException when the renewed session is refused too
   */
  <T> T call(Function<Logon, T> operation) {
    Logon logon = logon();
    try {
      return operation.apply(logon);
    } catch (StaleReferenceException stale) {
      LOG.info("vboxwebsrv at {} dropped the web session ({}); logging on again",
          client.endpoint(), stale.badObjectId());
      return operation.apply(renew(logon));
    }
  }

  /** Logs off. Idempotent; a failing logoff is logged, not thrown. */
  @Override
  public void close() {
    Logon last;
    lock.lock();
    try {
      closed = true;
      last = current;
      current = null;
    } finally {
      lock.unlock();
    }
    if (last != null) {
      try {
        client.logoff(last.vbox());
      } catch (BackendException e) {
        LOG.warn("logging off vboxwebsrv at {} failed: {}", client.endpoint(), e.getMessage());
      }
    }
  }

  private Logon logon() {
    lock.lock();
    try {
      requireOpen();
      if (current == null) {
        current = new Logon(client, logOn());
      }
      return current;
    } finally {
      lock.unlock();
    }
  }

  private Logon renew(Logon stale) {
    lock.lock();
    try {
      requireOpen();
      if (current == stale) {
        current = new Logon(client, logOn());
      }
      return current;
    } finally {
      lock.unlock();
    }
  }

  private ObjectRef logOn() {
    try {
      ObjectRef vbox = client.logon(username, password);
      LOG.debug("logged on to vboxwebsrv at {} as {}", client.endpoint(),
          InvalidArgumentException.quote(username));
      return vbox;
    } catch (VirtualBoxFault | SoapFaultException e) {
      throw new ConfigurationException("the virtualbox driver settings", List.of(
          "vboxwebsrv at " + client.endpoint() + " refused the logon of user "
              + InvalidArgumentException.quote(username) + " (" + e.getMessage()
              + "); check virtualbox.username and virtualbox.password, or that vboxwebsrv"
              + " runs as the user who owns the VMs"));
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the VirtualBox web session is closed");
    }
  }

  /**
   * One logon: the session's {@code IVirtualBox} and what is known under it. References are
   * valid only within their logon, so a renewal starts from empty caches.
   */
  static final class Logon {
    private final VboxWebClient client;
    private final ObjectRef vbox;
    private final Map<String, ObjectRef> machines = new ConcurrentHashMap<>();
    private final Map<String, KnownMedium> media = new ConcurrentHashMap<>();
    private final Queue<ObjectRef> idleSessions = new ConcurrentLinkedQueue<>();

    Logon(VboxWebClient client, ObjectRef vbox) {
      this.client = client;
      this.vbox = vbox;
    }

    /**
     * Returns the session's {@code IVirtualBox}.
     *
     * @return the reference
     */
    ObjectRef vbox() {
      return vbox;
    }

    /**
     * Returns a machine by UUID, asking VirtualBox the first time only.
     *
     * @param uuid the machine UUID
     * @return the machine
     * @throws VirtualBoxFault with {@code VBOX_E_OBJECT_NOT_FOUND} when there is none
     */
    ObjectRef machine(String uuid) {
      ObjectRef known = machines.get(uuid);
      if (known != null) {
        return known;
      }
      ObjectRef found = client.findMachine(vbox, uuid);
      machines.put(uuid, found);
      return found;
    }

    /**
     * Remembers a machine found otherwise.
     *
     * @param uuid the machine UUID
     * @param machine the machine
     */
    void rememberMachine(String uuid, ObjectRef machine) {
      machines.put(uuid, machine);
    }

    /**
     * Returns a volume's medium if this logon has seen it.
     *
     * @param uuid the medium UUID
     * @return the medium and its location
     */
    Optional<KnownMedium> knownMedium(MediumUuid uuid) {
      return Optional.ofNullable(media.get(uuid.value()));
    }

    /**
     * Remembers a volume's medium.
     *
     * @param uuid the medium UUID
     * @param medium the medium and its location
     */
    void rememberMedium(MediumUuid uuid, KnownMedium medium) {
      media.put(uuid.value(), medium);
    }

    /**
     * Forgets a medium that is gone or that failed a call.
     *
     * @param uuid the medium UUID
     */
    void forgetMedium(MediumUuid uuid) {
      media.remove(uuid.value());
    }

    /**
     * Takes an {@code ISession} to lock a machine with: an idle one, else a new one. A session
     * holds one lock at a time, so parallel operations each take their own.
     *
     * @return the session object
     */
    ObjectRef takeSessionObject() {
      ObjectRef idle = idleSessions.poll();
      return idle != null ? idle : client.getSessionObject(vbox);
    }

    /**
     * Gives back an unlocked {@code ISession} for the next operation.
     *
     * @param session the session object
     */
    void giveBackSessionObject(ObjectRef session) {
      idleSessions.add(session);
    }
  }

  /**
   * A medium this logon has seen: its reference and where it lives.
   *
   * @param ref the reference
   * @param location the full path on the VirtualBox host
   */
  record KnownMedium(ObjectRef ref, String location) {}
}
