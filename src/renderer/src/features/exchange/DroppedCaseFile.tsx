import { Modal } from '../shell/Modal';

/** A case file dropped on the window: open it (and work in it), or merge it into the open one. */
export function DroppedCaseFile({
  file,
  canMerge,
  onChoose,
  onCancel,
}: {
  file: File;
  canMerge: boolean;
  onChoose: (what: 'open' | 'merge') => void;
  onCancel: () => void;
}) {
  return (
    <Modal
      title="A case file was dropped"
      testId="dropped-casefile"
      onClose={onCancel}
      footer={
        <>
          <button type="button" data-testid="dropped-open" data-autofocus onClick={() => onChoose('open')}>
            Open it
          </button>
          <button type="button" data-testid="dropped-merge" disabled={!canMerge} onClick={() => onChoose('merge')}>
            Merge it into this one
          </button>
        </>
      }
    >
      <p>
        What should Casefile do with <b dir="auto">{file.name}</b>?
      </p>
      <p className="muted">
        Open works in it from now on (a file from the browser is kept in the folder you last used, or Documents). Merge
        reviews its changes against the case file open now before anything is written. Either way it is checked first.
      </p>
    </Modal>
  );
}
