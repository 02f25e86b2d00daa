import type { ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import { BIDI_MARK, BIDI_NOTE, hasDirectionControls } from '../../../../shared/text/display-text';

/**
 * A text cell: shown in its own direction (`dir="auto"`), and flagged with a marker whose tooltip
 * says why when it holds direction overrides ("invoice‮gpj.exe" reads as "invoiceexe.jpg").
 * A plain DOM component (a class with getGui: the React grid would take a function for a React
 * component), set through textContent: cheap for every visible cell, and never HTML.
 */
export class TextCell implements ICellRendererComp {
  private gui = document.createElement('span');

  init(p: ICellRendererParams): void {
    this.gui.className = 'cell-text-box';
    this.show(p);
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  refresh(p: ICellRendererParams): boolean {
    this.show(p);
    return true;
  }

  private show(p: ICellRendererParams): void {
    const shown = p.valueFormatted ?? (p.value === null || p.value === undefined ? '' : String(p.value));
    const text = document.createElement('span');
    text.dir = 'auto';
    text.className = 'cell-text';
    text.textContent = shown;
    if (!hasDirectionControls(shown)) {
      this.gui.replaceChildren(text);
      return;
    }
    const mark = document.createElement('span');
    mark.className = 'bidi-mark';
    mark.dataset.testid = 'cell-bidi-mark';
    mark.title = BIDI_NOTE;
    mark.textContent = BIDI_MARK;
    this.gui.replaceChildren(mark, text);
  }
}
