import { useState, type FormEvent } from "react";
import { webhookUrlProblem } from "@convex/alerts/shared";
import { ActionButton } from "@/components/ActionButton";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ChoiceField, TextField } from "@/components/FormField";
import { SkeletonRows } from "@/components/Skeleton";
import { useMutationState } from "@/lib/useMutationState";
import { useAddChannel, useAlertChannels, useRemoveChannel, useSendTest, useUpdateChannel } from "../api";

/** Where notifications go. URLs and secrets show only as masks; admins add, rotate, test and remove. */
export function ChannelsSection({ isAdmin }: { isAdmin: boolean }) {
  const channels = useAlertChannels();
  const sendTest = useSendTest();
  const update = useUpdateChannel();
  const remove = useRemoveChannel();
  return (
    <section className="stack" aria-labelledby="channels-heading">
      <h2 id="channels-heading">Channels</h2>
      {channels === undefined ? (
        <SkeletonRows rows={2} label="Loading channels…" />
      ) : channels.length === 0 ? (
        <p className="muted">
          No channel yet: alerts show here but reach nobody.
          {isAdmin ? " Add a webhook or Slack channel below." : ""}
        </p>
      ) : (
        <ul className="stack-sm" aria-label="Channels">
          {channels.map((channel) => (
            <li key={channel._id} className="card stack-sm">
              <p>
                <strong>{channel.name}</strong> ·{" "}
                {channel.kind === "slack" ? "Slack incoming webhook" : "Signed webhook"} ·{" "}
                <code className="wrap-anywhere">{channel.urlMasked}</code>
                {channel.secretMasked !== null && <> · signing secret {channel.secretMasked}</>}
                {!channel.enabled && <> · turned off</>}
              </p>
              {isAdmin && (
                <div className="row-actions">
                  <ActionButton
                    label="Send a test notification"
                    pendingLabel="Queuing…"
                    accessibleName={`Send a test notification to ${channel.name}`}
                    failureTitle="Could not queue the test"
                    action={() => sendTest({ channelId: channel._id })}
                  />
                  <ActionButton
                    label={channel.enabled ? "Turn off" : "Turn on"}
                    pendingLabel="Saving…"
                    accessibleName={`${channel.enabled ? "Turn off" : "Turn on"} ${channel.name}`}
                    failureTitle="Could not change the channel"
                    action={() => update({ channelId: channel._id, enabled: !channel.enabled })}
                  />
                  <ActionButton
                    label="Remove"
                    pendingLabel="Removing…"
                    accessibleName={`Remove ${channel.name}`}
                    failureTitle="Could not remove the channel"
                    action={() => remove({ channelId: channel._id })}
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {isAdmin && <AddChannelForm />}
    </section>
  );
}

function AddChannelForm() {
  const add = useMutationState(useAddChannel());
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"webhook" | "slack">("webhook");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const urlProblem = url.trim() === "" ? null : webhookUrlProblem(url);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const outcome = await add.run({ name, kind, url, secret: kind === "webhook" ? secret : undefined });
    if (outcome.ok) {
      setName("");
      setUrl("");
      setSecret("");
    }
  }

  return (
    <form className="card stack-sm" aria-label="Add a channel" onSubmit={(event) => void submit(event)}>
      <h3>Add a channel</h3>
      <div className="form-grid">
        <TextField label="Name" value={name} onValueChange={setName} />
        <ChoiceField label="Kind" value={kind} onValueChange={(value) => setKind(value as typeof kind)}>
          <option value="webhook">Webhook (signed, Alertmanager body)</option>
          <option value="slack">Slack incoming webhook</option>
        </ChoiceField>
        <TextField
          label="URL"
          type="url"
          autoComplete="off"
          value={url}
          aria-invalid={urlProblem !== null}
          onValueChange={setUrl}
          hint={
            urlProblem ?? "http or https, without a user name or password. Stored encrypted; shown masked."
          }
        />
        {kind === "webhook" && (
          <TextField
            label="Signing secret (16+ characters)"
            type="password"
            autoComplete="new-password"
            value={secret}
            onValueChange={setSecret}
          />
        )}
      </div>
      <button
        type="submit"
        className="button"
        disabled={add.pending || urlProblem !== null || url.trim() === "" || name.trim() === ""}
      >
        {add.pending ? "Adding…" : "Add channel"}
      </button>
      {add.error !== null && <ErrorNotice error={add.error} title="Could not add the channel" />}
    </form>
  );
}
