// Copy buttons of the statically rendered account pages, which have no Blazor circuit: a button with data-copy="ID"
// copies that element's data-copy-text (else its text) and says so in the [data-copy-status="ID"] next to it.
// One listener on the document, so it works on pages that enhanced navigation brings in later too.
document.addEventListener('click', async event => {
    const button = event.target.closest('[data-copy]');
    const source = button && document.getElementById(button.dataset.copy);
    if (!source) {
        return;
    }
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    try {
        await navigator.clipboard.writeText(source.dataset.copyText ?? source.textContent.trim());
        if (status) status.textContent = 'Copied';
    } catch {
        // Browsers allow the clipboard only on HTTPS or localhost: select the text, for the person to copy it.
        window.getSelection().selectAllChildren(source);
        if (status) status.textContent = 'Selected: press Ctrl+C to copy';
    }
});
