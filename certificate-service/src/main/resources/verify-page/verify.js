// The public verification page: paste, upload or scan a certificate's QR code and see whether it holds.
// Checking is the service's POST /api/v1/verifications (signature, expiry, revocation); this script only collects the
// text (joining the parts of a split code), shows the answer in Kazakh or Russian, and never shows why a certificate
// was revoked (the service never says). No framework, nothing from another host.
(function () {
  'use strict';

  var T = {
    kk: {
      title: 'Медициналық анықтаманы тексеру',
      intro: 'Анықтаманың QR-кодын сканерлеңіз, суретін немесе PDF файлын жүктеңіз, не оның мәтінін қойыңыз.',
      pasteTitle: 'Мәтінді қою', pasteLabel: 'QR-код мәтіні (KZC1:…) немесе токен; бөліктері болса, әрқайсысы жеке жолда',
      check: 'Тексеру', uploadTitle: 'Сурет немесе PDF жүктеу',
      uploadLabel: 'QR-кодтың суреті, скриншоты немесе анықтаманың PDF файлы',
      cameraTitle: 'Камерамен сканерлеу', cameraStart: 'Камераны қосу', cameraStop: 'Тоқтату',
      cameraLooking: 'QR-кодты камераға көрсетіңіз…', cameraUnavailable: 'Бұл құрылғыда камера қолжетімсіз.',
      privacy: 'Анықтама кері қайтарылса да, оның себебі ешқашан көрсетілмейді.',
      VALID: 'Жарамды', EXPIRED: 'Мерзімі өткен', REVOKED: 'Кері қайтарылған',
      INVALID_SIGNATURE: 'Жарамсыз: қолтаңба расталмады', UNKNOWN_KEY: 'Жарамсыз: белгісіз кілт',
      MALFORMED: 'Жарамсыз: бұл анықтаманың QR-коды емес', KEY_WITHDRAWN: 'Жарамсыз: қолтаңба кілті кері қайтарылған',
      KEY_RETIRED: 'Жарамсыз: қолтаңба кілті қолданыстан шыққаннан кейін қойылған',
      CANNOT_CONFIRM: 'Қазір растау мүмкін емес', cannotNote: 'Анықтаманың күйін қазір тексеру мүмкін емес. Кейінірек қайталаңыз.',
      validNote: 'Анықтама шынайы және күшінде.', expiredNote: 'Анықтама шынайы, бірақ мерзімі өтіп кеткен.',
      revokedNote: 'Анықтама кері қайтарылды және енді жарамсыз.',
      invalidNote: 'Бұл анықтамаға сенуге болмайды.',
      name: 'Аты-жөні', birthDate: 'Туған күні', form: 'Нысаны', number: 'Анықтама нөмірі', issued: 'Берілген күні',
      validUntil: 'Жарамдылық мерзімі (қоса алғанда)', revokedAt: 'Кері қайтарылған уақыты', issuerBin: 'Ұйымның БСН',
      parts: function (have, n) { return 'QR-код ' + n + ' бөліктен тұрады: ' + have + ' сканерленді. Қалғанын сканерлеңіз.'; },
      notFound: 'Суреттен анықтаманың QR-коды табылмады.', tooMany: 'Сұраулар тым көп. Біраз күтіп, қайталаңыз.',
      failed: 'Тексеру мүмкін болмады. Қайталап көріңіз.', empty: 'Мәтінді қойыңыз.'
    },
    ru: {
      title: 'Проверка медицинской справки',
      intro: 'Отсканируйте QR-код справки, загрузите её фото или PDF либо вставьте текст кода.',
      pasteTitle: 'Вставить текст', pasteLabel: 'Текст QR-кода (KZC1:…) или токен; если код из частей — каждая на своей строке',
      check: 'Проверить', uploadTitle: 'Загрузить фото или PDF',
      uploadLabel: 'Фото или снимок экрана с QR-кодом, либо PDF справки',
      cameraTitle: 'Сканировать камерой', cameraStart: 'Включить камеру', cameraStop: 'Остановить',
      cameraLooking: 'Наведите камеру на QR-код…', cameraUnavailable: 'Камера на этом устройстве недоступна.',
      privacy: 'Если справка отозвана, причина никогда не показывается.',
      VALID: 'Действительна', EXPIRED: 'Срок действия истёк', REVOKED: 'Отозвана',
      INVALID_SIGNATURE: 'Недействительна: подпись не подтверждена', UNKNOWN_KEY: 'Недействительна: неизвестный ключ',
      MALFORMED: 'Недействительна: это не QR-код справки', KEY_WITHDRAWN: 'Недействительна: ключ подписи отозван',
      KEY_RETIRED: 'Недействительна: подписана ключом после вывода его из работы',
      CANNOT_CONFIRM: 'Сейчас подтвердить нельзя', cannotNote: 'Состояние справки сейчас проверить нельзя. Повторите позже.',
      validNote: 'Справка подлинная и действует.', expiredNote: 'Справка подлинная, но срок её действия истёк.',
      revokedNote: 'Справка отозвана и больше не действует.',
      invalidNote: 'Этой справке доверять нельзя.',
      name: 'ФИО', birthDate: 'Дата рождения', form: 'Форма', number: 'Номер справки', issued: 'Дата выдачи',
      validUntil: 'Действительна по (включительно)', revokedAt: 'Время отзыва', issuerBin: 'БИН организации',
      parts: function (have, n) { return 'QR-код состоит из ' + n + ' частей, отсканировано ' + have + '. Отсканируйте остальные.'; },
      notFound: 'На изображении не найден QR-код справки.', tooMany: 'Слишком много запросов. Подождите и повторите.',
      failed: 'Проверить не удалось. Попробуйте ещё раз.', empty: 'Вставьте текст.'
    }
  };
  var ZONE = 'Asia/Almaty';
  var lang = 'kk';
  var forms = {};
  var last = null;       // the last answer shown, re-rendered on a language switch
  var parts = {};        // parts of a split code collected so far: "i" -> text
  var partsOf = 0;

  function $(id) { return document.getElementById(id); }
  function t(key) { return T[lang][key]; }

  function setLang(l) {
    lang = T[l] ? l : 'kk';
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach(function (el) { el.textContent = t(el.getAttribute('data-t')); });
    document.querySelectorAll('button.lang').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
    });
    document.title = t('title');
    try { localStorage.setItem('verify.lang', lang); } catch (e) { /* private mode */ }
    if (last) { show(last); }
    showParts();
  }

  function dateOnly(iso) {            // "2019-01-01" -> "01.01.2019"
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '.' + m[2] + '.' + m[1] : (iso || '—');
  }
  function day(epochSeconds) {
    return new Intl.DateTimeFormat('ru-RU', {timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric'})
      .format(new Date(epochSeconds * 1000));
  }
  function moment(iso) {
    return new Intl.DateTimeFormat('ru-RU', {timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric',
      hour: '2-digit', minute: '2-digit'}).format(new Date(iso)) + ' (Алматы)';
  }

  function formName(c) {
    var f = forms[c.typ];
    if (!f) { return c.form || c.typ || '—'; }
    return (f.code ? f.code + ' — ' : '') + f[lang];
  }

  function show(answer) {
    last = answer;
    var box = $('result');
    var status = answer.status;
    var cls = status === 'VALID' ? 'valid' : status === 'EXPIRED' ? 'expired' : status === 'REVOKED' ? 'revoked'
      : status === 'CANNOT_CONFIRM' ? 'cannot' : 'invalid';
    box.className = cls === 'cannot' ? 'expired' : cls;
    box.setAttribute('data-status', status);
    $('result-status').textContent = t(status) || status;
    $('result-note').textContent = t(cls === 'invalid' ? 'invalidNote' : cls + 'Note');
    var dl = $('result-details');
    dl.textContent = '';
    function row(label, value) {
      var dt = document.createElement('dt'); dt.textContent = label;
      var dd = document.createElement('dd'); dd.textContent = value;
      dl.appendChild(dt); dl.appendChild(dd);
    }
    var c = answer.certificate;
    if (status === 'REVOKED') {
      // revoked: when, and which number; nothing about the person's health, never why
      if (c && c.no) { row(t('number'), c.no); }
      row(t('revokedAt'), answer.revokedAt ? moment(answer.revokedAt) : '—');
    } else if (c && (status === 'VALID' || status === 'EXPIRED')) {
      row(t('name'), c.name || '—');
      row(t('birthDate'), dateOnly(c.bd));
      row(t('form'), formName(c));
      row(t('number'), c.no);
      if (c.iat) { row(t('issued'), day(c.iat)); }
      if (c.exp) { row(t('validUntil'), day(c.exp - 86400)); }  // exp is the start of the expiry day
    } else if (answer.detail) {
      var small = document.createElement('p');
      small.className = 'small'; small.id = 'result-detail'; small.textContent = answer.detail;
      dl.appendChild(small);
    }
    box.hidden = false;
  }

  function message(text, status) {
    show({status: status || 'MALFORMED', detail: null});
    $('result-status').textContent = text;
    $('result-note').textContent = '';
    last = null;
  }

  function verify(text) {
    return fetch('/api/v1/verifications', {
      method: 'POST', headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify({token: text})
    }).then(function (r) {
      if (r.status === 429) { message(t('tooMany')); return; }
      if (!r.ok) { message(t('failed')); return; }
      return r.json().then(function (answer) { show(answer); $('result').focus(); });
    }).catch(function () { message(t('failed')); });
  }

  // Collects whole texts and parts (KZC1/i/n:…) from pastes, uploads and camera frames; verifies once complete.
  function collect(texts) {
    var whole = null;
    texts.forEach(function (text) {
      var m = /^KZC1\/(\d{1,2})\/(\d{1,2}):/.exec(text);
      if (!m) { whole = text; return; }
      var n = Number(m[2]);
      if (n !== partsOf) { parts = {}; partsOf = n; }
      parts[m[1]] = text;
    });
    if (whole) { resetParts(); return verify(whole); }
    var have = Object.keys(parts).length;
    if (partsOf && have >= partsOf) {
      var joined = Object.keys(parts).map(function (k) { return parts[k]; }).join('\n');
      resetParts();
      return verify(joined);
    }
    showParts();
    return Promise.resolve();
  }
  function resetParts() { parts = {}; partsOf = 0; showParts(); }
  function showParts() {
    var p = $('parts');
    var have = Object.keys(parts).length;
    p.hidden = !partsOf;
    p.textContent = partsOf ? T[lang].parts(have, partsOf) : '';
  }

  function scan(blob) {
    return fetch('/verify/scan', {method: 'POST', headers: {'Content-Type': blob.type || 'application/octet-stream'}, body: blob})
      .then(function (r) {
        if (r.status === 429 || r.status === 503) { return {error: 'tooMany'}; }
        if (r.status === 422) { return {error: 'notFound'}; }
        if (!r.ok) { return {error: 'failed'}; }
        return r.json();
      }).catch(function () { return {error: 'failed'}; });
  }

  // Photos are scaled down in the browser first: the QR needs ~2,000 px, not a 12 MP original.
  function shrink(file) {
    if (!/^image\//.test(file.type) || file.size < 1500000 || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bmp) {
      var s = Math.min(1, 2000 / Math.max(bmp.width, bmp.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bmp.width * s); canvas.height = Math.round(bmp.height * s);
      canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(function (b) { resolve(b || file); }, 'image/jpeg', 0.9); });
    }).catch(function () { return file; });
  }

  // Camera: the browser's BarcodeDetector where it exists (Android, macOS), else a frame a second to /verify/scan.
  var stream = null, timer = null, detector = null, busy = false;
  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { $('camera-note').textContent = t('cameraUnavailable'); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}, audio: false}).then(function (s) {
      stream = s;
      var video = $('video');
      video.srcObject = s; video.hidden = false; video.play();
      $('camera-start').hidden = true; $('camera-stop').hidden = false; $('camera-stop').focus();
      $('camera-note').textContent = t('cameraLooking');
      if ('BarcodeDetector' in window) {
        try { detector = new window.BarcodeDetector({formats: ['qr_code']}); } catch (e) { detector = null; }
      }
      timer = setInterval(frame, detector ? 300 : 1000);
    }).catch(function () { $('camera-note').textContent = t('cameraUnavailable'); });
  }
  function stopCamera() {
    if (timer) { clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (tr) { tr.stop(); }); stream = null; }
    $('video').hidden = true; $('camera-stop').hidden = true; $('camera-start').hidden = false;
    $('camera-note').textContent = '';
  }
  function frame() {
    var video = $('video');
    if (busy || !video.videoWidth) { return; }
    busy = true;
    var found;
    if (detector) {
      found = detector.detect(video).then(function (codes) { return codes.map(function (c) { return c.rawValue; }); });
    } else {
      var canvas = document.createElement('canvas');
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      found = new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', 0.85); })
        .then(function (blob) { return blob ? scan(blob) : {error: 'notFound'}; })
        .then(function (r) { return r.texts || []; });
    }
    found.then(function (texts) {
      texts = (texts || []).filter(function (x) { return /^KZC1/.test(x); });
      if (!texts.length) { return; }
      var before = partsOf;
      return collect(texts).then(function () { if (!partsOf && (before || texts.length)) { stopCamera(); } });
    }).catch(function () { /* next frame */ }).then(function () { busy = false; });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var asked = new URLSearchParams(location.search).get('lang');
    var stored = null;
    try { stored = localStorage.getItem('verify.lang'); } catch (e) { /* private mode */ }
    setLang(asked || stored || ((navigator.language || '').indexOf('ru') === 0 ? 'ru' : 'kk'));
    document.querySelectorAll('button.lang').forEach(function (b) {
      b.addEventListener('click', function () { setLang(b.getAttribute('data-lang')); });
    });
    fetch('/verify/forms.json').then(function (r) { return r.json(); })
      .then(function (f) { forms = f; if (last) { show(last); } }).catch(function () { /* codes only */ });

    $('paste-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var text = $('token').value.trim();
      if (!text) { message(t('empty')); return; }
      var lines = text.split(/[\r\n]+/).map(function (l) { return l.replace(/^\s+/, ''); }).filter(Boolean);
      if (lines.every(function (l) { return /^KZC1\/\d{1,2}\/\d{1,2}:/.test(l); })) { collect(lines); } else { resetParts(); verify(text); }
    });
    $('token').addEventListener('keydown', function (e) {      // Ctrl+Enter checks from the text box
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $('check').click(); }
    });
    $('file').addEventListener('change', function () {
      var file = $('file').files[0];
      if (!file) { return; }
      shrink(file).then(scan).then(function (r) {
        if (r.error) { message(t(r.error)); return; }
        return collect(r.texts);
      }).then(function () { $('file').value = ''; });
    });
    $('camera-start').addEventListener('click', startCamera);
    $('camera-stop').addEventListener('click', stopCamera);
  });
})();
