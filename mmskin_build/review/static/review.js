// The review page's keyboard and saving: every change is POSTed to /api/corrections (one append each).
(function () {
  'use strict';
  var body = document.body;
  var statusBox = document.getElementById('status');
  var reviewerInput = document.getElementById('reviewer');
  var selected = null;

  function show(text, isError) {
    statusBox.textContent = text;
    statusBox.className = 'show' + (isError ? ' error' : '');
    if (!isError) { setTimeout(function () { statusBox.className = ''; }, 1500); }
  }

  if (reviewerInput) {
    reviewerInput.value = localStorage.getItem('mmskin-reviewer') || '';
    reviewerInput.addEventListener('change', function () { localStorage.setItem('mmskin-reviewer', reviewerInput.value); });
  }

  // Saves `items` ({target, target_id, field, value, reason}); retries while another writer holds the dataset.
  function save(items, then, tries) {
    tries = tries || 0;
    var payload = {corrections: items, reviewer: reviewerInput ? reviewerInput.value : ''};
    return fetch('/api/corrections', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                      body: JSON.stringify(payload)})
      .then(function (response) {
        return response.json().then(function (data) { return {status: response.status, data: data}; });
      })
      .then(function (result) {
        if (result.status === 503) {  // a stage holds the dataset: keep the decision and try again until it ends
          show((result.data.error || 'dataset busy') + ' (try ' + (tries + 1) + ', retrying)', true);
          return new Promise(function (r) { setTimeout(r, 1000); }).then(function () { return save(items, then, tries + 1); });
        }
        if (result.status !== 200) { show(result.data.error || ('error ' + result.status), true); return; }
        body.setAttribute('data-saved', String(result.data.corrections));
        show('saved (' + result.data.saved + ')');
        if (then) { then(result.data); }
      })
      .catch(function (error) { show('not saved: ' + error, true); });
  }

  function go(url) { if (url) { window.location.href = url; } }
  function reloadPage() { window.location.reload(); }
  function figureId() { return body.getAttribute('data-figure-id'); }

  function decide(status, reason) {
    save([{target: 'figure', target_id: figureId(), field: 'status', value: status, reason: reason}], function () {
      var next = body.getAttribute('data-next');
      if (next) { go(next); } else { reloadPage(); }
    });
  }

  function fieldItem(element) {
    return {target: element.getAttribute('data-target'), target_id: element.getAttribute('data-id'),
            field: element.getAttribute('data-field'), value: element.value};
  }

  // Text fields save on Ctrl+Enter or when they lose focus after a change; selects save on change.
  document.querySelectorAll('[data-field]').forEach(function (element) {
    var initial = element.value;
    function commit() {
      if (element.value === initial) { return; }
      initial = element.value;
      save([fieldItem(element)], function () { element.classList.add('saved'); });
    }
    if (element.tagName === 'SELECT') { element.addEventListener('change', commit); return; }
    element.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey || element.tagName === 'INPUT')) {
        event.preventDefault(); commit();
      }
    });
    element.addEventListener('blur', commit);
  });

  function panels() { return Array.prototype.slice.call(document.querySelectorAll('.panel')); }
  function select(panel) {
    panels().forEach(function (p) { p.classList.remove('selected'); });
    selected = panel;
    if (panel) { panel.classList.add('selected'); panel.scrollIntoView({block: 'nearest'}); }
  }
  function imageId(panel) { return panel.getAttribute('data-image-id'); }

  function rejectPanel(panel) {
    var reason = window.prompt('Why reject panel ' + panel.getAttribute('data-letter') + '?', '');
    if (reason === null) { return; }
    save([{target: 'image', target_id: imageId(panel), field: 'status', value: 'rejected', reason: reason}], reloadPage);
  }

  // Moving a sub-caption: the other panel gets this panel's text, this panel's is cleared (two corrections).
  function moveSubcaption(panel, toImageId) {
    var text = panel.querySelector('[data-field="subcaption"]').value;
    save([{target: 'image', target_id: toImageId, field: 'subcaption', value: text},
          {target: 'image', target_id: imageId(panel), field: 'subcaption', value: ''}], reloadPage);
  }

  function askMove(panel) {
    var letter = window.prompt('Move this sub-caption to panel (letter or number):', '');
    if (!letter) { return; }
    var target = panels().filter(function (p) {
      return p !== panel && (p.getAttribute('data-letter').toLowerCase() === letter.toLowerCase() ||
                             p.getAttribute('data-panel') === letter);
    })[0];
    if (!target) { show('no panel ' + letter, true); return; }
    moveSubcaption(panel, imageId(target));
  }

  panels().forEach(function (panel) {
    panel.addEventListener('click', function () { select(panel); });
    panel.querySelector('.reject-panel').addEventListener('click', function () { rejectPanel(panel); });
    panel.querySelector('.move').addEventListener('click', function () {
      var choice = panel.querySelector('.move-to').value;
      if (choice) { moveSubcaption(panel, choice); }
    });
  });
  document.querySelectorAll('.reject-qa').forEach(function (button) {
    button.addEventListener('click', function () {
      var reason = window.prompt('Why reject this QA item?', '');
      if (reason === null) { return; }
      save([{target: 'qa', target_id: button.getAttribute('data-id'), field: 'status', value: 'rejected', reason: reason}],
           reloadPage);
    });
  });
  var approve = document.getElementById('approve');
  if (approve) { approve.addEventListener('click', function () { decide('approved'); }); }
  var reject = document.getElementById('reject');
  if (reject) {
    reject.addEventListener('click', function () {
      var reason = window.prompt('Why reject this figure?', '');
      if (reason !== null) { decide('rejected', reason); }
    });
  }

  var MODALITY_KEYS = {c: 'clinical', d: 'dermoscopy', p: 'pathology', o: 'other'};
  document.addEventListener('keydown', function (event) {
    var tag = event.target.tagName;
    if (event.key === 'Escape') { event.target.blur && event.target.blur(); return; }
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var page = body.getAttribute('data-page');
    if (page === 'list') {
      var start = document.getElementById('start');
      if (event.key === 'a' && start) { go(start.href); }
      return;
    }
    var key = event.key;
    var handled = true;
    if (key === 'a') { decide('approved'); }
    else if (key === 'r') { reject.click(); }
    else if (key === 'j') { go(body.getAttribute('data-next')); }
    else if (key === 'k') { go(body.getAttribute('data-prev')); }
    else if (key === 'e') { document.getElementById('caption').focus(); }
    else if (/^[1-9]$/.test(key)) { select(panels()[Number(key) - 1] || selected); }
    else if (selected && key === 'x') { rejectPanel(selected); }
    else if (selected && key === 's') { selected.querySelector('[data-field="subcaption"]').focus(); }
    else if (selected && key === 'v') { askMove(selected); }
    else if (selected && MODALITY_KEYS[key]) {
      save([{target: 'image', target_id: imageId(selected), field: 'modality', value: MODALITY_KEYS[key]}], reloadPage);
    }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });
  if (panels().length === 1) { select(panels()[0]); }
}());
