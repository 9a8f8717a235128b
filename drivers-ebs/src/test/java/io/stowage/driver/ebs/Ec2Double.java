package io.stowage.driver.ebs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An EC2 test double: an HTTP server on loopback that speaks the EC2 Query protocol (form-encoded
 * POST with {@code Action=}, XML answers in the EC2 namespace, EC2's error XML with the right
 * HTTP status) for the actions the EBS back end uses, with state transitions that take time.
 * The real SDK client talks to it through its endpoint override. It counts requests per action
 * and logs them, so tests can assert call budgets. An {@link AttachmentListener} plays the
 * instances' block devices: it hears of each attachment when EC2 takes it and of its end when
 * EC2 takes the detach.
 *
 * <p>It serves several regions, told apart by the region of each request's credential scope;
 * volumes live in the first. Snapshots are {@code pending} for the snapshot delay after they
 * are taken or copied, then {@code completed}; a volume modification is {@code modifying}, then
 * {@code optimizing}, then {@code completed}. A {@link DataListener} hears of the data a
 * snapshot, a copy or a restore copies, so that the local disks can copy their images.
 */
final class Ec2Double implements AutoCloseable {
  static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
  static final String VERSION = "2016-11-15";

  private static final Pattern DEVICE = Pattern.compile("/dev/(sd[b-z]|xvd[b-z]|xvd[b-z][a-z])");
  private static final Set<String> TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1",
      "standard");

  /** One request as received. */
  record Call(String action, long nanoTime, Map<String, String> params) {
    /** Returns the volume IDs the request names ({@code VolumeId.N}). */
    List<String> volumeIds() {
      return params.entrySet().stream().filter(e -> e.getKey().startsWith("VolumeId."))
          .map(Map.Entry::getValue).toList();
    }
  }

  /** Sees attachments start and end, as the attached instance's block devices would. */
  interface AttachmentListener {
    /** A volume was attached to an instance under a device name ({@code /dev/xvdkq}). */
    void attached(String volumeId, String instanceId, String device);

    /** A volume's attachment to an instance is being detached. */
    void detached(String volumeId, String instanceId, String device);
  }

  /** Hears of the copies of volumes' data that snapshots, copies and restores make. */
  interface DataListener {
    /** A snapshot of a volume was taken. */
    void snapshotTaken(String volumeId, String snapshotId);

    /** A snapshot was copied to a new one. */
    void snapshotCopied(String sourceSnapshotId, String snapshotId);

    /** A volume was created from a snapshot. */
    void volumeRestored(String snapshotId, String volumeId);
  }

  private final String region;
  private final Set<String> regions = new TreeSet<>();
  private final String accessKey;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();
  private final Map<String, FakeVolume> volumes = new LinkedHashMap<>();
  private final Map<String, FakeInstance> instances = new LinkedHashMap<>();
  private final Map<String, FakeSnapshot> snapshots = new LinkedHashMap<>();
  private final Set<String> zones = new TreeSet<>();
  private final Map<String, String> clientTokens = new HashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private final Map<String, List<String[]>> failures = new ConcurrentHashMap<>();
  private int nextId = 1;
  private volatile AttachmentListener listener;
  private volatile DataListener dataListener;
  private volatile Duration snapshotDelay = Duration.ZERO;
  private volatile Duration modifyingDelay = Duration.ZERO;
  private volatile Duration optimizingDelay = Duration.ZERO;
  private volatile Duration createDelay = Duration.ZERO;
  private volatile Duration attachDelay = Duration.ZERO;
  private volatile Duration detachDelay = Duration.ZERO;
  private volatile Duration deleteDelay = Duration.ZERO;

  Ec2Double(String region, String accessKey) throws IOException {
    this.region = region;
    this.regions.add(region);
    this.accessKey = accessKey;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  // ---- configuration --------------------------------------------------------------------

  Ec2Double delays(Duration create, Duration attach, Duration detach, Duration delete) {
    this.createDelay = create;
    this.attachDelay = attach;
    this.detachDelay = detach;
    this.deleteDelay = delete;
    return this;
  }

  /** How long snapshots and copies stay pending. */
  Ec2Double snapshotDelay(Duration delay) {
    this.snapshotDelay = delay;
    return this;
  }

  /** How long a volume modification is modifying, and then optimizing. */
  Ec2Double modificationDelays(Duration modifying, Duration optimizing) {
    this.modifyingDelay = modifying;
    this.optimizingDelay = optimizing;
    return this;
  }

  /** Adds a region of the account, with no volumes. */
  Ec2Double region(String name) {
    synchronized (lock) {
      regions.add(name);
    }
    return this;
  }

  /** Reports the data copies of snapshots to a listener, called under the double's lock. */
  Ec2Double onData(DataListener listener) {
    this.dataListener = listener;
    return this;
  }

  /** Reports attachments to a listener, called under the double's lock. */
  Ec2Double onAttachments(AttachmentListener listener) {
    this.listener = listener;
    return this;
  }

  Ec2Double zone(String zone) {
    synchronized (lock) {
      zones.add(zone);
    }
    return this;
  }

  /** Adds an instance; its devices are block device mappings not in the volume store. */
  Ec2Double instance(String id, String zone, String... devices) {
    synchronized (lock) {
      zones.add(zone);
      instances.put(id, new FakeInstance(id, zone, List.of(devices)));
    }
    return this;
  }

  /** Adds an available volume and returns its ID. */
  String volume(String name, String zone, Map<String, String> extraTags) {
    synchronized (lock) {
      zones.add(zone);
      FakeVolume v = new FakeVolume(newVolumeId(), 8, "gp3", 3000, 125, zone, false, null,
          System.nanoTime());
      if (name != null) {
        v.tags.put("Name", name);
      }
      v.tags.putAll(extraTags);
      volumes.put(v.id, v);
      return v.id;
    }
  }

  /** Adds a volume that stays in the creating state for an hour, and returns its ID. */
  String creatingVolume(String name, String zone) {
    synchronized (lock) {
      zones.add(zone);
      FakeVolume v = new FakeVolume(newVolumeId(), 8, "gp3", 3000, 125, zone, false, null,
          System.nanoTime() + Duration.ofHours(1).toNanos());
      v.tags.put("Name", name);
      volumes.put(v.id, v);
      return v.id;
    }
  }

  /** Attaches a volume at once, as if done elsewhere. */
  void attachNow(String volumeId, String instanceId, String device) {
    synchronized (lock) {
      volumes.get(volumeId).attachments.add(new FakeAttachment(instanceId, device,
          System.nanoTime(), Instant.now()));
    }
  }

  /** Answers the next {@code n} requests with {@code RequestLimitExceeded} (HTTP 503). */
  void throttleNext(int n) {
    throttleNext.set(n);
  }

  /** Answers the next request of an action with an error. */
  void failNext(String action, int status, String code, String message) {
    failures.computeIfAbsent(action, k -> new CopyOnWriteArrayList<>())
        .add(new String[] {Integer.toString(status), code, message});
  }

  // ---- observation ----------------------------------------------------------------------

  int count(String action) {
    AtomicInteger count = counts.get(action);
    return count == null ? 0 : count.get();
  }

  int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  Map<String, Integer> counts() {
    Map<String, Integer> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  int throttled() {
    return throttled.get();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  void resetCounts() {
    counts.clear();
    calls.clear();
  }

  Optional<Map<String, String>> tags(String volumeId) {
    synchronized (lock) {
      return Optional.ofNullable(volumes.get(volumeId)).map(v -> Map.copyOf(v.tags));
    }
  }

  Optional<String> snapshotState(String snapshotId) {
    synchronized (lock) {
      return Optional.ofNullable(snapshots.get(snapshotId)).map(v -> v.state(System.nanoTime()));
    }
  }

  /** The IDs of the snapshots of a region. */
  List<String> snapshotIds(String inRegion) {
    synchronized (lock) {
      return snapshots.values().stream().filter(v -> v.region.equals(inRegion)).map(v -> v.id)
          .toList();
    }
  }

  Optional<Map<String, String>> snapshotTags(String snapshotId) {
    synchronized (lock) {
      return Optional.ofNullable(snapshots.get(snapshotId)).map(v -> Map.copyOf(v.tags));
    }
  }

  Optional<Integer> size(String volumeId) {
    synchronized (lock) {
      return Optional.ofNullable(volumes.get(volumeId)).map(v -> v.size);
    }
  }

  Optional<String> state(String volumeId) {
    synchronized (lock) {
      long now = System.nanoTime();
      purge(now);
      return Optional.ofNullable(volumes.get(volumeId)).map(v -> v.state(now));
    }
  }

  List<String> attachedDevices(String instanceId) {
    synchronized (lock) {
      long now = System.nanoTime();
      purge(now);
      List<String> devices = new ArrayList<>();
      for (FakeVolume v : volumes.values()) {
        for (FakeAttachment a : v.attachments) {
          if (a.instanceId.equals(instanceId)) {
            devices.add(a.device);
          }
        }
      }
      return devices;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- protocol -------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params = form(exchange.getRequestBody());
      String action = params.getOrDefault("Action", "");
      counts.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
      calls.add(new Call(action, System.nanoTime(), params));
      Answer answer = answer(exchange, action, params);
      byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
      exchange.sendResponseHeaders(answer.status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private Answer answer(HttpExchange exchange, String action, Map<String, String> params) {
    if (!exchange.getRequestMethod().equals("POST")) {
      return error(400, "InvalidAction", "EC2 takes POST here");
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.contains("Credential=" + accessKey + "/")) {
      return error(401, "AuthFailure", "AWS was not able to validate the provided access"
          + " credentials");
    }
    String scope = scopeRegion(authorization);
    boolean known;
    synchronized (lock) {
      known = regions.contains(scope);
    }
    if (!known) {
      return error(401, "AuthFailure", "credential scope " + scope + " is not a region of"
          + " this account");
    }
    if (!VERSION.equals(params.get("Version"))) {
      return error(400, "InvalidParameterValue", "unsupported Version " + params.get("Version"));
    }
    if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throttled.incrementAndGet();
      return error(503, "RequestLimitExceeded", "Request limit exceeded.");
    }
    List<String[]> queued = failures.get(action);
    if (queued != null && !queued.isEmpty()) {
      String[] f = queued.remove(0);
      return error(Integer.parseInt(f[0]), f[1], f[2]);
    }
    synchronized (lock) {
      long now = System.nanoTime();
      purge(now);
      try {
        if (!scope.equals(region)) {
          return switch (action) {
            case "DescribeSnapshots" -> describeSnapshots(params, now, scope);
            case "DeleteSnapshot" -> deleteSnapshot(params, scope);
            case "CopySnapshot" -> copySnapshot(params, now, scope);
            case "DescribeRegions" -> describeRegions();
            default -> error(400, "UnsupportedOperation", "the double keeps volumes in "
                + region + " only");
          };
        }
        return switch (action) {
          case "CreateSnapshot" -> createSnapshot(params, now);
          case "DescribeSnapshots" -> describeSnapshots(params, now, scope);
          case "DeleteSnapshot" -> deleteSnapshot(params, scope);
          case "CopySnapshot" -> copySnapshot(params, now, scope);
          case "ModifyVolume" -> modifyVolume(params, now);
          case "DescribeVolumesModifications" -> describeModifications(params, now);
          case "DescribeRegions" -> describeRegions();
          case "DescribeVolumes" -> describeVolumes(params, now);
          case "CreateVolume" -> createVolume(params, now);
          case "DeleteVolume" -> deleteVolume(params, now);
          case "AttachVolume" -> attachVolume(params, now);
          case "DetachVolume" -> detachVolume(params, now);
          case "DescribeInstances" -> describeInstances(params, now);
          default -> error(400, "InvalidAction", "The action " + action + " is not valid for"
              + " this web service.");
        };
      } catch (Refusal r) {
        return r.answer;
      }
    }
  }

  private Answer createSnapshot(Map<String, String> params, long now) {
    FakeVolume v = volumeOf(require(params, "VolumeId"));
    String state = v.state(now);
    if (!state.equals("available") && !state.equals("in-use")) {
      throw refusal(400, "IncorrectState", "The volume '" + v.id + "' is in the '" + state
          + "' state.");
    }
    FakeSnapshot snap = new FakeSnapshot(newSnapshotId(), region, v.id, v.size,
        params.get("Description"), now + snapshotDelay.toNanos());
    snap.tags.putAll(tags(params, "snapshot"));
    DataListener data = dataListener;
    if (data != null) {
      hook(() -> data.snapshotTaken(v.id, snap.id));
    }
    snapshots.put(snap.id, snap);
    Xml xml = new Xml().open("CreateSnapshotResponse", NAMESPACE).text("requestId", requestId());
    snap.write(xml, now);
    return ok(xml.close("CreateSnapshotResponse"));
  }

  private Answer describeSnapshots(Map<String, String> params, long now, String inRegion) {
    List<String> ids = indexed(params, "SnapshotId");
    String maxResults = params.get("MaxResults");
    if (!ids.isEmpty() && maxResults != null) {
      throw refusal(400, "InvalidParameterCombination", "The parameter snapshotSet cannot be"
          + " used with the parameter maxResults");
    }
    for (String id : ids) {
      snapshotOf(id, inRegion);
    }
    List<String> owners = indexed(params, "Owner");
    if (!owners.isEmpty() && !owners.equals(List.of("self"))) {
      throw refusal(400, "InvalidParameterValue", "the double knows the owner self only");
    }
    Map<String, List<String>> filters = filters(params);
    List<FakeSnapshot> matching = new ArrayList<>();
    for (FakeSnapshot snap : snapshots.values()) {
      if (snap.region.equals(inRegion) && (ids.isEmpty() || ids.contains(snap.id))
          && snapshotMatches(snap, filters, now)) {
        matching.add(snap);
      }
    }
    int from = 0;
    int to = matching.size();
    if (maxResults != null) {
      int max = Integer.parseInt(maxResults);
      if (max < 5 || max > 1000) {
        throw refusal(400, "InvalidParameterValue", "Value (" + max + ") for parameter"
            + " maxResults is invalid. Expecting a value between 5 and 1000.");
      }
      from = params.containsKey("NextToken") ? Integer.parseInt(params.get("NextToken")) : 0;
      to = Math.min(matching.size(), from + max);
    }
    Xml xml = new Xml().open("DescribeSnapshotsResponse", NAMESPACE)
        .text("requestId", requestId()).open("snapshotSet");
    for (FakeSnapshot snap : matching.subList(from, to)) {
      xml.open("item");
      snap.write(xml, now);
      xml.close("item");
    }
    xml.close("snapshotSet");
    if (to < matching.size()) {
      xml.text("nextToken", Integer.toString(to));
    }
    return ok(xml.close("DescribeSnapshotsResponse"));
  }

  private Answer deleteSnapshot(Map<String, String> params, String inRegion) {
    FakeSnapshot snap = snapshotOf(require(params, "SnapshotId"), inRegion);
    snapshots.remove(snap.id);
    return ok(new Xml().open("DeleteSnapshotResponse", NAMESPACE).text("requestId", requestId())
        .text("return", "true").close("DeleteSnapshotResponse"));
  }

  private Answer copySnapshot(Map<String, String> params, long now, String inRegion) {
    String destination = params.getOrDefault("DestinationRegion", inRegion);
    if (!destination.equals(inRegion)) {
      throw refusal(400, "InvalidParameterValue", "DestinationRegion " + destination
          + " is not the region of the request, " + inRegion);
    }
    String sourceRegion = require(params, "SourceRegion");
    if (!regions.contains(sourceRegion)) {
      throw refusal(400, "InvalidParameterValue", "Invalid value '" + sourceRegion
          + "' for SourceRegion");
    }
    FakeSnapshot source = snapshotOf(require(params, "SourceSnapshotId"), sourceRegion);
    if (!source.state(now).equals("completed")) {
      throw refusal(400, "IncorrectState", "Snapshot '" + source.id + "' is not in a valid"
          + " state: " + source.state(now));
    }
    FakeSnapshot copy = new FakeSnapshot(newSnapshotId(), inRegion, "vol-ffffffff",
        source.size, params.get("Description"), now + snapshotDelay.toNanos());
    copy.tags.putAll(tags(params, "snapshot"));
    DataListener data = dataListener;
    if (data != null) {
      hook(() -> data.snapshotCopied(source.id, copy.id));
    }
    snapshots.put(copy.id, copy);
    Xml xml = new Xml().open("CopySnapshotResponse", NAMESPACE).text("requestId", requestId())
        .text("snapshotId", copy.id);
    writeTags(xml, copy.tags);
    return ok(xml.close("CopySnapshotResponse"));
  }

  private Answer modifyVolume(Map<String, String> params, long now) {
    FakeVolume v = volumeOf(require(params, "VolumeId"));
    if (v.modification != null && !v.modification.state(now).equals("completed")) {
      throw refusal(400, "IncorrectModificationState", "Cannot modify volume " + v.id
          + " as it is currently in " + v.modification.state(now) + " state");
    }
    int size = Integer.parseInt(params.getOrDefault("Size", Integer.toString(v.size)));
    if (size < v.size) {
      throw refusal(400, "InvalidParameterValue", "New size cannot be smaller than existing"
          + " size");
    }
    v.modification = new FakeModification(v.id, v.size, size, now,
        now + modifyingDelay.toNanos(), now + modifyingDelay.toNanos()
            + optimizingDelay.toNanos());
    v.size = size;
    Xml xml = new Xml().open("ModifyVolumeResponse", NAMESPACE).text("requestId", requestId())
        .open("volumeModification");
    v.modification.write(xml, now);
    return ok(xml.close("volumeModification").close("ModifyVolumeResponse"));
  }

  private Answer describeModifications(Map<String, String> params, long now) {
    List<String> ids = indexed(params, "VolumeId");
    List<FakeModification> found = new ArrayList<>();
    for (String id : ids) {
      FakeVolume v = volumeOf(id);
      if (v.modification == null) {
        throw refusal(400, "InvalidVolumeModification.NotFound", "Modification for volume '"
            + id + "' does not exist.");
      }
      found.add(v.modification);
    }
    if (ids.isEmpty()) {
      volumes.values().stream().filter(v -> v.modification != null)
          .forEach(v -> found.add(v.modification));
    }
    Xml xml = new Xml().open("DescribeVolumesModificationsResponse", NAMESPACE)
        .text("requestId", requestId()).open("volumeModificationSet");
    for (FakeModification m : found) {
      xml.open("item");
      m.write(xml, now);
      xml.close("item");
    }
    return ok(xml.close("volumeModificationSet").close("DescribeVolumesModificationsResponse"));
  }

  private Answer describeRegions() {
    Xml xml = new Xml().open("DescribeRegionsResponse", NAMESPACE)
        .text("requestId", requestId()).open("regionInfo");
    for (String r : regions) {
      xml.open("item").text("regionName", r).text("regionEndpoint", "ec2." + r
          + ".amazonaws.com").text("optInStatus", "opt-in-not-required").close("item");
    }
    return ok(xml.close("regionInfo").close("DescribeRegionsResponse"));
  }

  private FakeSnapshot snapshotOf(String id, String inRegion) {
    FakeSnapshot snap = snapshots.get(id);
    if (snap == null || !snap.region.equals(inRegion)) {
      throw refusal(400, "InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not"
          + " exist.");
    }
    return snap;
  }

  private boolean snapshotMatches(FakeSnapshot snap, Map<String, List<String>> filters,
      long now) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      String name = f.getKey();
      List<String> values = f.getValue();
      boolean ok;
      if (name.equals("status")) {
        ok = values.contains(snap.state(now));
      } else if (name.equals("volume-id")) {
        ok = values.contains(snap.volumeId);
      } else if (name.equals("tag-key")) {
        ok = values.stream().anyMatch(snap.tags::containsKey);
      } else if (name.startsWith("tag:")) {
        ok = values.contains(snap.tags.get(name.substring(4)));
      } else {
        throw refusal(400, "InvalidParameterValue", "The filter '" + name + "' is invalid");
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The tags of the request's tag specifications for a resource type. */
  private static Map<String, String> tags(Map<String, String> params, String resourceType) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int s = 1; params.containsKey("TagSpecification." + s + ".ResourceType"); s++) {
      String prefix = "TagSpecification." + s + ".";
      if (!params.get(prefix + "ResourceType").equals(resourceType)) {
        throw refusal(400, "InvalidParameterValue", "tags for " + params.get(prefix
            + "ResourceType") + " cannot be set on a " + resourceType);
      }
      for (int t = 1; params.containsKey(prefix + "Tag." + t + ".Key"); t++) {
        tags.put(params.get(prefix + "Tag." + t + ".Key"),
            params.getOrDefault(prefix + "Tag." + t + ".Value", ""));
      }
    }
    return tags;
  }

  private static void writeTags(Xml xml, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      xml.open("tagSet");
      tags.forEach((k, v) -> xml.open("item").text("key", k).text("value", v).close("item"));
      xml.close("tagSet");
    }
  }

  private String newSnapshotId() {
    return String.format(Locale.ROOT, "snap-%017x", 0x5ea000000L + nextId++);
  }

  /** The region of a request's credential scope, {@code Credential=AK/date/REGION/ec2/...}. */
  private static String scopeRegion(String authorization) {
    int at = authorization.indexOf("Credential=");
    String[] parts = authorization.substring(at + "Credential=".length()).split("/");
    return parts.length > 2 ? parts[2] : "";
  }

  private Answer describeVolumes(Map<String, String> params, long now) {
    List<String> ids = indexed(params, "VolumeId");
    String maxResults = params.get("MaxResults");
    if (!ids.isEmpty() && maxResults != null) {
      throw refusal(400, "InvalidParameterCombination", "The parameter volumeSet cannot be used"
          + " with the parameter maxResults");
    }
    for (String id : ids) {
      if (!volumes.containsKey(id)) {
        throw refusal(400, "InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
      }
    }
    Map<String, List<String>> filters = filters(params);
    List<FakeVolume> matching = new ArrayList<>();
    for (FakeVolume v : volumes.values()) {
      if ((ids.isEmpty() || ids.contains(v.id)) && matches(v, filters, now)) {
        matching.add(v);
      }
    }
    int from = 0;
    int to = matching.size();
    if (maxResults != null) {
      int max = Integer.parseInt(maxResults);
      if (max < 5 || max > 500) {
        throw refusal(400, "InvalidParameterValue", "Value (" + max + ") for parameter"
            + " maxResults is invalid. Expecting a value between 5 and 500.");
      }
      from = params.containsKey("NextToken") ? Integer.parseInt(params.get("NextToken")) : 0;
      to = Math.min(matching.size(), from + max);
    }
    Xml xml = new Xml().open("DescribeVolumesResponse", NAMESPACE)
        .text("requestId", requestId()).open("volumeSet");
    for (FakeVolume v : matching.subList(from, to)) {
      xml.open("item");
      v.write(xml, now);
      xml.close("item");
    }
    xml.close("volumeSet");
    if (to < matching.size()) {
      xml.text("nextToken", Integer.toString(to));
    }
    return ok(xml.close("DescribeVolumesResponse"));
  }

  private Answer createVolume(Map<String, String> params, long now) {
    String token = params.get("ClientToken");
    if (token != null && clientTokens.containsKey(token)) {
      FakeVolume v = volumes.get(clientTokens.get(token));
      if (v != null) {
        return createdAnswer(v, now);
      }
    }
    String zone = require(params, "AvailabilityZone");
    if (!zones.contains(zone)) {
      throw refusal(400, "InvalidZone.NotFound", "Invalid availability zone: [" + zone + "]");
    }
    String type = params.getOrDefault("VolumeType", "gp2");
    if (!TYPES.contains(type)) {
      throw refusal(400, "InvalidParameterValue", "Value (" + type + ") for parameter volumeType"
          + " is invalid.");
    }
    Integer iops = params.containsKey("Iops") ? Integer.valueOf(params.get("Iops")) : null;
    Integer throughput = params.containsKey("Throughput")
        ? Integer.valueOf(params.get("Throughput")) : null;
    if (iops != null && !Set.of("gp3", "io1", "io2").contains(type)) {
      throw refusal(400, "InvalidParameterCombination", "The parameter iops is not supported"
          + " for " + type + " volumes.");
    }
    if (iops == null && Set.of("io1", "io2").contains(type)) {
      throw refusal(400, "MissingParameter", "The request must contain the parameter iops");
    }
    if (throughput != null && !type.equals("gp3")) {
      throw refusal(400, "InvalidParameterCombination", "The parameter throughput is not"
          + " supported for " + type + " volumes.");
    }
    FakeSnapshot from = null;
    if (params.containsKey("SnapshotId")) {
      from = snapshotOf(params.get("SnapshotId"), region);
      if (!from.state(now).equals("completed")) {
        throw refusal(400, "IncorrectState", "Snapshot '" + from.id + "' is not in a valid"
            + " state: " + from.state(now));
      }
    }
    int size = from == null ? Integer.parseInt(require(params, "Size"))
        : Integer.parseInt(params.getOrDefault("Size", Integer.toString(from.size)));
    if (from != null && size < from.size) {
      throw refusal(400, "InvalidParameterValue", "Volume of size " + size + "GB is smaller"
          + " than snapshot '" + from.id + "', expect size >= " + from.size + "GB");
    }
    boolean encrypted = Boolean.parseBoolean(params.getOrDefault("Encrypted", "false"));
    FakeVolume v = new FakeVolume(newVolumeId(), size, type,
        iops == null && type.equals("gp3") ? Integer.valueOf(3000) : iops,
        throughput == null && type.equals("gp3") ? Integer.valueOf(125) : throughput, zone,
        encrypted, params.get("KmsKeyId"), now + createDelay.toNanos());
    for (int s = 1; params.containsKey("TagSpecification." + s + ".ResourceType"); s++) {
      String prefix = "TagSpecification." + s + ".";
      if (!params.get(prefix + "ResourceType").equals("volume")) {
        throw refusal(400, "InvalidParameterValue", "tags for " + params.get(prefix
            + "ResourceType") + " cannot be set on a volume");
      }
      for (int t = 1; params.containsKey(prefix + "Tag." + t + ".Key"); t++) {
        v.tags.put(params.get(prefix + "Tag." + t + ".Key"),
            params.getOrDefault(prefix + "Tag." + t + ".Value", ""));
      }
    }
    if (from != null) {
      v.snapshotId = from.id;
      FakeSnapshot source = from;
      DataListener data = dataListener;
      if (data != null) {
        hook(() -> data.volumeRestored(source.id, v.id));
      }
    }
    volumes.put(v.id, v);
    if (token != null) {
      clientTokens.put(token, v.id);
    }
    return createdAnswer(v, now);
  }

  private Answer createdAnswer(FakeVolume v, long now) {
    Xml xml = new Xml().open("CreateVolumeResponse", NAMESPACE).text("requestId", requestId());
    v.write(xml, now);
    return ok(xml.close("CreateVolumeResponse"));
  }

  private Answer deleteVolume(Map<String, String> params, long now) {
    FakeVolume v = volumeOf(require(params, "VolumeId"));
    if (v.deleteAt != 0) {
      throw refusal(400, "InvalidVolume.NotFound", "The volume '" + v.id + "' does not exist.");
    }
    if (!v.attachments.isEmpty()) {
      throw refusal(400, "VolumeInUse", "Volume " + v.id + " is currently attached to "
          + v.attachments.get(0).instanceId);
    }
    v.deleteAt = now + Math.max(1, deleteDelay.toNanos());
    return ok(new Xml().open("DeleteVolumeResponse", NAMESPACE).text("requestId", requestId())
        .text("return", "true").close("DeleteVolumeResponse"));
  }

  private Answer attachVolume(Map<String, String> params, long now) {
    String volumeId = require(params, "VolumeId");
    String instanceId = require(params, "InstanceId");
    String device = require(params, "Device");
    FakeInstance instance = instances.get(instanceId);
    if (instance == null) {
      throw refusal(400, "InvalidInstanceID.NotFound", "The instance ID '" + instanceId
          + "' does not exist");
    }
    FakeVolume v = volumeOf(volumeId);
    String state = v.state(now);
    if (!state.equals("available") && !state.equals("in-use")) {
      throw refusal(400, "IncorrectState", "vol '" + volumeId + "' is not 'available'.");
    }
    if (!v.attachments.isEmpty()) {
      throw refusal(400, "VolumeInUse", volumeId + " is already attached to an instance");
    }
    if (!v.zone.equals(instance.zone)) {
      throw refusal(400, "InvalidVolume.ZoneMismatch", "The volume '" + volumeId + "' is not in"
          + " the same availability zone as instance '" + instanceId + "'");
    }
    if (!DEVICE.matcher(device).matches()) {
      throw refusal(400, "InvalidParameterValue", "Value (" + device + ") for parameter device"
          + " is invalid. " + device + " is not a valid EBS device name.");
    }
    String wanted = DeviceNameAllocator.normalise(device);
    for (String used : devicesOf(instanceId)) {
      if (DeviceNameAllocator.normalise(used).equals(wanted)) {
        throw refusal(400, "InvalidParameterValue", "Invalid value '" + device + "' for"
            + " unixDevice. Attachment point " + device + " is already in use");
      }
    }
    FakeAttachment a = new FakeAttachment(instanceId, device, now + attachDelay.toNanos(),
        Instant.now());
    AttachmentListener l = listener;
    if (l != null) {
      hook(() -> l.attached(v.id, instanceId, device));
    }
    v.attachments.add(a);
    Xml xml = new Xml().open("AttachVolumeResponse", NAMESPACE).text("requestId", requestId());
    a.write(xml, v.id, now);
    return ok(xml.close("AttachVolumeResponse"));
  }

  private Answer detachVolume(Map<String, String> params, long now) {
    FakeVolume v = volumeOf(require(params, "VolumeId"));
    String instanceId = params.get("InstanceId");
    if (v.attachments.isEmpty()) {
      throw refusal(400, "IncorrectState", "Volume '" + v.id + "' is in the '" + v.state(now)
          + "' state.");
    }
    FakeAttachment a = v.attachments.stream()
        .filter(x -> instanceId == null || x.instanceId.equals(instanceId))
        .findFirst()
        .orElseThrow(() -> refusal(400, "InvalidAttachment.NotFound", "Volume '" + v.id
            + "' can not be detached from '" + instanceId + "' because it is not attached"));
    if (a.detachAt != 0) {
      throw refusal(400, "IncorrectState", "Volume '" + v.id + "' is in the 'detaching'"
          + " state.");
    }
    AttachmentListener l = listener;
    if (l != null) {
      hook(() -> l.detached(v.id, a.instanceId, a.device));
    }
    a.detachAt = now + Math.max(1, detachDelay.toNanos());
    Xml xml = new Xml().open("DetachVolumeResponse", NAMESPACE).text("requestId", requestId());
    a.write(xml, v.id, now);
    return ok(xml.close("DetachVolumeResponse"));
  }

  private Answer describeInstances(Map<String, String> params, long now) {
    List<String> ids = indexed(params, "InstanceId");
    for (String id : ids) {
      if (!instances.containsKey(id)) {
        throw refusal(400, "InvalidInstanceID.NotFound", "The instance ID '" + id
            + "' does not exist");
      }
    }
    Xml xml = new Xml().open("DescribeInstancesResponse", NAMESPACE)
        .text("requestId", requestId()).open("reservationSet");
    for (FakeInstance i : instances.values()) {
      if (!ids.isEmpty() && !ids.contains(i.id)) {
        continue;
      }
      xml.open("item").text("reservationId", "r-" + i.id.substring(2))
          .text("ownerId", "123456789012").open("instancesSet").open("item")
          .text("instanceId", i.id)
          .open("placement").text("availabilityZone", i.zone).close("placement")
          .text("rootDeviceName", i.devices.isEmpty() ? null : i.devices.get(0))
          .open("blockDeviceMapping");
      for (String device : devicesOf(i.id)) {
        xml.open("item").text("deviceName", device).open("ebs")
            .text("volumeId", "vol-00000000000000000").text("status", "attached")
            .text("attachTime", Instant.EPOCH.toString()).text("deleteOnTermination", "true")
            .close("ebs").close("item");
      }
      xml.close("blockDeviceMapping").close("item").close("instancesSet").close("item");
    }
    return ok(xml.close("reservationSet").close("DescribeInstancesResponse"));
  }

  /**
   * Runs the listener before the change it hears of is made; its failure is EC2's
   * InternalError (500) and changes nothing, so the test sees it.
   */
  private static void hook(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      throw refusal(500, "InternalError", "the instance's device hook failed: " + e);
    }
  }

  // ---- state ----------------------------------------------------------------------------

  private List<String> devicesOf(String instanceId) {
    List<String> devices = new ArrayList<>(instances.get(instanceId).devices);
    for (FakeVolume v : volumes.values()) {
      for (FakeAttachment a : v.attachments) {
        if (a.instanceId.equals(instanceId)) {
          devices.add(a.device);
        }
      }
    }
    return devices;
  }

  private void purge(long now) {
    volumes.values().removeIf(v -> v.deleteAt != 0 && now - v.deleteAt >= 0);
    for (FakeVolume v : volumes.values()) {
      v.attachments.removeIf(a -> a.detachAt != 0 && now - a.detachAt >= 0);
    }
  }

  private boolean matches(FakeVolume v, Map<String, List<String>> filters, long now) {
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      String name = f.getKey();
      List<String> values = f.getValue();
      boolean ok;
      if (name.equals("volume-id")) {
        ok = values.contains(v.id);
      } else if (name.equals("status")) {
        ok = values.contains(v.state(now));
      } else if (name.equals("availability-zone")) {
        ok = values.contains(v.zone);
      } else if (name.equals("tag-key")) {
        ok = values.stream().anyMatch(v.tags::containsKey);
      } else if (name.startsWith("tag:")) {
        ok = values.contains(v.tags.get(name.substring(4)));
      } else if (name.equals("attachment.instance-id")) {
        ok = v.attachments.stream().anyMatch(a -> values.contains(a.instanceId));
      } else {
        throw refusal(400, "InvalidParameterValue", "The filter '" + name + "' is invalid");
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private FakeVolume volumeOf(String id) {
    FakeVolume v = volumes.get(id);
    if (v == null) {
      throw refusal(400, "InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
    }
    return v;
  }

  private String newVolumeId() {
    return String.format(Locale.ROOT, "vol-%017x", 0xabc000000L + nextId++);
  }

  private static Map<String, List<String>> filters(Map<String, String> params) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (int n = 1; params.containsKey("Filter." + n + ".Name"); n++) {
      filters.put(params.get("Filter." + n + ".Name"), indexed(params, "Filter." + n + ".Value"));
    }
    return filters;
  }

  private static List<String> indexed(Map<String, String> params, String prefix) {
    List<String> values = new ArrayList<>();
    for (int n = 1; params.containsKey(prefix + "." + n); n++) {
      values.add(params.get(prefix + "." + n));
    }
    return values;
  }

  private static String require(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      throw refusal(400, "MissingParameter", "The request must contain the parameter " + name);
    }
    return value;
  }

  private static Map<String, String> form(InputStream body) throws IOException {
    String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
          StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  private static String requestId() {
    return UUID.randomUUID().toString();
  }

  private static Answer ok(Xml xml) {
    return new Answer(200, xml.toString());
  }

  static Answer error(int status, String code, String message) {
    return new Answer(status, new Xml().open("Response").open("Errors").open("Error")
        .text("Code", code).text("Message", message).close("Error").close("Errors")
        .text("RequestID", requestId()).close("Response").toString());
  }

  private static Refusal refusal(int status, String code, String message) {
    return new Refusal(error(status, code, message));
  }

  record Answer(int status, String body) {}

  /** An EC2 error answer, thrown out of an action. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Answer answer;

    Refusal(Answer answer) {
      super(answer.body, null, false, false);
      this.answer = answer;
    }
  }

  private record FakeInstance(String id, String zone, List<String> devices) {}

  private static final class FakeAttachment {
    final String instanceId;
    final String device;
    final long attachedAt;
    final Instant attachTime;
    long detachAt;

    FakeAttachment(String instanceId, String device, long attachedAt, Instant attachTime) {
      this.instanceId = instanceId;
      this.device = device;
      this.attachedAt = attachedAt;
      this.attachTime = attachTime;
    }

    String state(long now) {
      if (detachAt != 0) {
        return "detaching";
      }
      return now - attachedAt < 0 ? "attaching" : "attached";
    }

    void write(Xml xml, String volumeId, long now) {
      xml.text("volumeId", volumeId).text("instanceId", instanceId).text("device", device)
          .text("status", state(now)).text("attachTime", attachTime.toString())
          .text("deleteOnTermination", "false");
    }
  }

  private static final class FakeSnapshot {
    final String id;
    final String region;
    final String volumeId;
    final int size;
    final String description;
    final long completesAt;
    final Instant startTime = Instant.now();
    final Map<String, String> tags = new LinkedHashMap<>();

    FakeSnapshot(String id, String region, String volumeId, int size, String description,
        long completesAt) {
      this.id = id;
      this.region = region;
      this.volumeId = volumeId;
      this.size = size;
      this.description = description;
      this.completesAt = completesAt;
    }

    String state(long now) {
      return now - completesAt < 0 ? "pending" : "completed";
    }

    void write(Xml xml, long now) {
      String state = state(now);
      xml.text("snapshotId", id).text("volumeId", volumeId).text("status", state)
          .text("startTime", startTime.toString())
          .text("progress", state.equals("completed") ? "100%" : "40%")
          .text("ownerId", "123456789012").text("volumeSize", size)
          .text("description", description).text("encrypted", "false");
      writeTags(xml, tags);
    }
  }

  private static final class FakeModification {
    final String volumeId;
    final int originalSize;
    final int targetSize;
    final Instant startTime = Instant.now();
    final long optimizingAt;
    final long completedAt;

    FakeModification(String volumeId, int originalSize, int targetSize, long now,
        long optimizingAt, long completedAt) {
      this.volumeId = volumeId;
      this.originalSize = originalSize;
      this.targetSize = targetSize;
      this.optimizingAt = optimizingAt;
      this.completedAt = completedAt;
    }

    String state(long now) {
      if (now - optimizingAt < 0) {
        return "modifying";
      }
      return now - completedAt < 0 ? "optimizing" : "completed";
    }

    void write(Xml xml, long now) {
      String state = state(now);
      xml.text("volumeId", volumeId).text("modificationState", state)
          .text("targetSize", targetSize).text("originalSize", originalSize)
          .text("progress", state.equals("completed") ? 100 : state.equals("optimizing") ? 50
              : 0)
          .text("startTime", startTime.toString());
    }
  }

  private static final class FakeVolume {
    final String id;
    int size;
    final String type;
    final Integer iops;
    final Integer throughput;
    final String zone;
    final boolean encrypted;
    final String kmsKeyId;
    final long readyAt;
    final Instant createTime = Instant.now();
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<FakeAttachment> attachments = new ArrayList<>();
    long deleteAt;
    String snapshotId;
    FakeModification modification;

    FakeVolume(String id, int size, String type, Integer iops, Integer throughput, String zone,
        boolean encrypted, String kmsKeyId, long readyAt) {
      this.id = id;
      this.size = size;
      this.type = type;
      this.iops = iops;
      this.throughput = throughput;
      this.zone = zone;
      this.encrypted = encrypted;
      this.kmsKeyId = kmsKeyId;
      this.readyAt = readyAt;
    }

    String state(long now) {
      if (deleteAt != 0) {
        return "deleting";
      }
      if (now - readyAt < 0) {
        return "creating";
      }
      return attachments.isEmpty() ? "available" : "in-use";
    }

    void write(Xml xml, long now) {
      xml.text("volumeId", id).text("size", size)
          .text("snapshotId", snapshotId == null ? "" : snapshotId)
          .text("availabilityZone", zone).text("status", state(now))
          .text("createTime", createTime.toString()).open("attachmentSet");
      for (FakeAttachment a : attachments) {
        xml.open("item");
        a.write(xml, id, now);
        xml.close("item");
      }
      xml.close("attachmentSet").text("volumeType", type).text("iops", iops)
          .text("throughput", throughput).text("encrypted", encrypted)
          .text("kmsKeyId", kmsKeyId).text("multiAttachEnabled", "false");
      if (!tags.isEmpty()) {
        xml.open("tagSet");
        tags.forEach((k, v) -> xml.open("item").text("key", k).text("value", v).close("item"));
        xml.close("tagSet");
      }
    }
  }
}
