"""The lines the e-mail channel adds to an answering mail itself, in the conversation's language."""

from __future__ import annotations

from enum import Enum
from typing import Dict

from bot.shared.languages import spoken_or_default


class Note(str, Enum):
    HELD_BACK = "held_back"
    NOTHING_READ = "nothing_read"
    ATTACHMENTS_NOT_READ = "attachments_not_read"


NOTES: Dict[Note, Dict[str, str]] = {
    Note.HELD_BACK: {
        "en": "I'll answer the rest of your message once you have replied to the question above.",
        "es": "Responderé al resto de tu mensaje en cuanto hayas contestado a la pregunta de arriba.",
        "fr": "Je répondrai au reste de votre message dès que vous aurez répondu à la question ci-dessus.",
        "de": "Auf den Rest Ihrer Nachricht antworte ich, sobald Sie die Frage oben beantwortet haben.",
    },
    Note.NOTHING_READ: {
        "en": "Thanks for your message. Could you tell us in a sentence or two what you need help with?",
        "es": "Gracias por tu mensaje. ¿Podrías contarnos en una o dos frases en qué necesitas ayuda?",
        "fr": "Merci pour votre message. Pourriez-vous nous dire en une ou deux phrases en quoi nous pouvons vous aider ?",
        "de": "Danke für Ihre Nachricht. Können Sie uns in ein, zwei Sätzen schreiben, wobei wir helfen können?",
    },
    Note.ATTACHMENTS_NOT_READ: {
        "en": "We don't open attachments sent by e-mail. Please describe in your reply what they show; "
        "if a colleague needs a photo, they will tell you how to send it.",
        "es": "No abrimos los archivos adjuntos que llegan por correo. Describe en tu respuesta lo que muestran; "
        "si un compañero necesita una foto, te dirá cómo enviarla.",
        "fr": "Nous n'ouvrons pas les pièces jointes envoyées par e-mail. Décrivez dans votre réponse ce qu'elles "
        "montrent ; si un collègue a besoin d'une photo, il vous dira comment l'envoyer.",
        "de": "Anhänge in E-Mails öffnen wir nicht. Beschreiben Sie bitte in Ihrer Antwort, was darauf zu sehen "
        "ist; braucht ein Kollege ein Foto, sagt er Ihnen, wie Sie es senden können.",
    },
}


def note(which: Note, language: object) -> str:
    return NOTES[which][spoken_or_default(language)]
