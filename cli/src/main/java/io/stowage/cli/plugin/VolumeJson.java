package io.stowage.cli.plugin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.model.Attachment;
import io.stowage.model.Volume;
import java.util.TreeMap;

/**
 * A volume as JSON, in libStorage's field names: {@code size} in GiB, {@code type},
 * {@code iops}, {@code availabilityZone}, and so on. REX-Ray printed its volumes so, and reported
 * them so in the {@code Status} that {@code docker volume inspect} shows; {@code stowage -o json}
 * and the plugin's {@code /VolumeDriver.Get} both write this one shape.
 */
public final class VolumeJson {
  private VolumeJson() {}

  /**
   * Writes a volume's fields into a JSON object.
   *
   * @param node the object to write into
   * @param volume the volume
   * @param driver the name of the storage driver that serves it
   * @return {@code node}
   */
  public static ObjectNode write(ObjectNode node, Volume volume, String driver) {
    node.put("name", volume.name().value());
    node.put("id", volume.id().value());
    node.put("driver", driver);
    node.put("size", volume.size().toGiBRoundedUp());
    node.put("sizeBytes", volume.size().bytes());
    volume.volumeType().ifPresent(t -> node.put("type", t));
    volume.iops().ifPresent(i -> node.put("iops", i));
    volume.availabilityZone().ifPresent(z -> node.put("availabilityZone", z));
    node.put("encrypted", volume.encrypted());
    node.put("status", volume.status().raw());
    volume.createdAt().ifPresent(t -> node.put("createdAt", t.toString()));
    ArrayNode attachments = node.putArray("attachments");
    for (Attachment a : volume.attachments()) {
      attachments.addObject().put("instanceId", a.instanceId().value()).put("device", a.device());
    }
    ObjectNode fields = node.putObject("fields");
    new TreeMap<>(volume.fields()).forEach(fields::put);
    return node;
  }
}
