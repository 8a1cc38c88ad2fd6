// A modal confirmation in the page (a <dialog>): what will be done, Cancel or the action.
import { h } from "../dom.ts";

/** Shows `message` with Cancel and `action` buttons; resolves true when the action is clicked. */
export function confirmDialog(message: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "data-testid": "confirm-dialog" });
    const done = (ok: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(ok);
    };
    dialog.append(
      h("p", { "data-testid": "confirm-text" }, message),
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          { type: "button", onclick: () => done(false), "data-testid": "confirm-cancel" },
          "Cancel",
        ),
        h(
          "button",
          { type: "button", class: "danger", onclick: () => done(true), "data-testid": "confirm-ok" },
          action,
        ),
      ),
    );
    // Escape closes the dialog without a click: that is a Cancel.
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks, then deletes: `del()` runs only when confirmed; `shown` gets what the server says was deleted. */
export async function confirmDelete(
  what: string,
  del: () => Promise<{ deleted: string; files: number; bytes: number }>,
  shown: (text: string, ok: boolean) => void,
): Promise<boolean> {
  if (!(await confirmDialog(`Delete ${what}? This cannot be undone.`, "Delete"))) return false;
  try {
    const d = await del();
    shown(`Deleted ${d.deleted} (${d.files} file${d.files === 1 ? "" : "s"}, ${kb(d.bytes)}).`, true);
    return true;
  } catch (err) {
    shown(String(err instanceof Error ? err.message : err), false);
    return false;
  }
}

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);
