// Uploads files as the raw request body with XMLHttpRequest (for upload progress and abort), reporting to .NET.
const uploads = new Map();
let nextId = 0;

export function init(dropZone, input, dotnet, url, token) {
    const start = files => files.forEach(file => send(file, dotnet, url, token));
    input.addEventListener('change', () => {
        start([...input.files]);
        input.value = '';
    });
    dropZone.addEventListener('dragover', e => {
        e.preventDefault();
        dropZone.classList.add('dragging');
    });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
    dropZone.addEventListener('drop', e => {
        e.preventDefault();
        dropZone.classList.remove('dragging');
        start([...e.dataTransfer.files]);
    });
    dropZone.dataset.ready = 'true';
}

export function cancel(id) {
    uploads.get(id)?.abort();
}

export function dispose() {
    uploads.forEach(xhr => xhr.abort());
}

async function send(file, dotnet, url, token) {
    const id = `upload-${++nextId}`;
    if (!await dotnet.invokeMethodAsync('UploadStarted', id, file.name, file.size)) {
        return; // refused before sending (too large)
    }
    const xhr = new XMLHttpRequest();
    uploads.set(id, xhr);
    const started = performance.now();
    let reported = 0;
    xhr.upload.onprogress = e => {
        const now = performance.now();
        if (now - reported < 250 && e.loaded < e.total) {
            return;
        }
        reported = now;
        const seconds = Math.max((now - started) / 1000, 0.001);
        dotnet.invokeMethodAsync('UploadProgress', id, e.loaded, e.loaded / seconds);
    };
    xhr.onload = () => {
        uploads.delete(id);
        dotnet.invokeMethodAsync('UploadFinished', id, xhr.status, xhr.responseText);
    };
    xhr.onerror = () => {
        uploads.delete(id);
        dotnet.invokeMethodAsync('UploadFinished', id, 0, '');
    };
    xhr.onabort = () => {
        uploads.delete(id);
        dotnet.invokeMethodAsync('UploadCancelled', id);
    };
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.setRequestHeader('RequestVerificationToken', token);
    xhr.send(file);
}
