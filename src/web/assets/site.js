// Progressive enhancement only: every page works without this file.
(() => {
  // Every message comes from the page (the server's translation files), never from here.
  var say = (key) => document.documentElement.getAttribute(`data-${key}`) || '';

  // Facet checkboxes and the sort menu apply at once.
  document.querySelectorAll('[data-autosubmit]').forEach((el) => {
    el.addEventListener('change', () => {
      if (el.form) el.form.submit();
    });
  });

  // Upload with a progress bar; without JavaScript the form posts as usual.
  document.querySelectorAll('form[data-upload]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.XMLHttpRequest || !window.FormData) return;
      event.preventDefault();
      var box = form.querySelector('.upload-progress');
      var bar = form.querySelector('progress');
      if (box) box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable && bar) {
          const pct = Math.round((e.loaded / e.total) * 100);
          bar.value = pct;
          bar.textContent = `${pct}%`;
        }
      });
      xhr.addEventListener('load', () => {
        if (xhr.status < 400) window.location.href = xhr.responseURL || window.location.href;
        else {
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      });
      xhr.send(new FormData(form));
    });
  });

  // A copy button on each code example.
  if (navigator.clipboard) {
    document.querySelectorAll('pre > code').forEach((code) => {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary copy-button';
      button.textContent = say('copy');
      button.addEventListener('click', () => {
        navigator.clipboard.writeText(code.textContent || '').then(() => {
          button.textContent = say('copied');
        });
      });
      code.parentNode.parentNode.insertBefore(button, code.parentNode.nextSibling);
    });
  }

  // Live validation of required fields and e-mail addresses, in the page's language.
  document.querySelectorAll('form[data-validate]').forEach((form) => {
    form.querySelectorAll('input[required], textarea[required], input[type=email]').forEach((input) => {
      input.addEventListener('blur', () => {
        var field = input.closest('.field');
        if (!field) return;
        var msg = '';
        if (input.required && !input.value.trim()) msg = say('required');
        else if (input.type === 'email' && input.value && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.value))
          msg = say('email');
        var id = `${input.id}-live-error`;
        var existing = document.getElementById(id);
        if (msg) {
          if (!existing) {
            existing = document.createElement('p');
            existing.id = id;
            existing.className = 'error-message';
            input.parentNode.insertBefore(existing, input);
          }
          existing.textContent = msg;
          field.classList.add('field-error');
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', id);
        } else if (existing) {
          existing.remove();
          field.classList.remove('field-error');
          input.removeAttribute('aria-invalid');
        }
      });
    });
  });
})();
